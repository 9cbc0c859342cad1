package org.depprune.driver.finetune;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.depprune.network.Network;
import org.nd4j.linalg.dataset.DataSet;

/**
 * dl4j-spark's data-parallel wrapper of either kind of network ({@code SparkComputationGraph},
 * {@code SparkDl4jMultiLayer}): the one place the final finetune tells them apart.
 *
 * @param fitter one data-parallel fit on an RDD of minibatches
 * @param current the driver's copy of the network, updated by every fit
 */
record SparkTrainer(Consumer<JavaRDD<DataSet>> fitter, Supplier<Model> current) {

  static SparkTrainer of(JavaSparkContext sc, Model net, ParameterAveragingTrainingMaster master) {
    if (net instanceof ComputationGraph graph) {
      SparkComputationGraph spark = new SparkComputationGraph(sc, graph, master);
      return new SparkTrainer(spark::fit, spark::getNetwork);
    }
    SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) Network.of(net).model(), master);
    return new SparkTrainer(spark::fit, spark::getNetwork);
  }

  void fit(JavaRDD<DataSet> data) {
    fitter.accept(data);
  }

  Model network() {
    return current.get();
  }
}
