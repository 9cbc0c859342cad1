package org.depprune.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.depprune.graph.DepGraph;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Taylor and Hessian scores against gradients taken by central finite differences of the loss,
 * in double precision: independent of DL4J's backpropagation.
 */
class DataDrivenImportanceTest {
  private static final double EPS = 1e-6;

  private static MultiLayerNetwork net() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(5).dataType(DataType.DOUBLE).list()
        .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    return net;
  }

  private static List<DataSet> batches() {
    var random = Nd4j.getRandomFactory().getNewRandomInstance(9);
    DataSet a = new DataSet(Nd4j.rand(random, 5, 3).castTo(DataType.DOUBLE), oneHot(new int[] {0, 1, 1, 0, 1}));
    DataSet b = new DataSet(Nd4j.rand(random, 5, 3).castTo(DataType.DOUBLE), oneHot(new int[] {1, 1, 0, 0, 0}));
    return List.of(a, b);
  }

  private static INDArray oneHot(int[] labels) {
    INDArray y = Nd4j.zeros(DataType.DOUBLE, labels.length, 2);
    for (int i = 0; i < labels.length; i++) {
      y.putScalar(i, labels[i], 1);
    }
    return y;
  }

  /** d loss / d param by central differences, for every element of layer 0's {@code key}. */
  private static INDArray numericGradient(MultiLayerNetwork net, String key, DataSet batch) {
    INDArray p = net.getLayer(0).getParam(key);
    if (p.rank() == 1) {
      INDArray g = Nd4j.zeros(DataType.DOUBLE, p.shape());
      for (long i = 0; i < p.length(); i++) {
        double w = p.getDouble(i);
        p.putScalar(i, w + EPS);
        double up = net.score(batch, true);
        p.putScalar(i, w - EPS);
        double down = net.score(batch, true);
        p.putScalar(i, w);
        g.putScalar(i, (up - down) / (2 * EPS));
      }
      return g;
    }
    INDArray g = Nd4j.zeros(DataType.DOUBLE, p.shape());
    // Index by (row, column): the parameter views are column-major, so linear indices differ.
    for (long r = 0; r < p.size(0); r++) {
      for (long c = 0; c < p.size(1); c++) {
        double w = p.getDouble(r, c);
        p.putScalar(new long[] {r, c}, w + EPS);
        double up = net.score(batch, true);
        p.putScalar(new long[] {r, c}, w - EPS);
        double down = net.score(batch, true);
        p.putScalar(new long[] {r, c}, w);
        g.putScalar(new long[] {r, c}, (up - down) / (2 * EPS));
      }
    }
    return g;
  }

  @Test
  void taylorAndHessianMatchFiniteDifferences() {
    MultiLayerNetwork net = net();
    List<DataSet> batches = batches();
    INDArray w = net.getLayer(0).getParam("W").dup();
    INDArray b = net.getLayer(0).getParam("b").dup();
    INDArray gw1 = numericGradient(net, "W", batches.get(0));
    INDArray gw2 = numericGradient(net, "W", batches.get(1));
    INDArray gb1 = numericGradient(net, "b", batches.get(0));
    INDArray gb2 = numericGradient(net, "b", batches.get(1));
    double[] taylor = new double[4];
    double[] hessian = new double[4];
    for (int c = 0; c < 4; c++) {
      double t = 0;
      double h = 0;
      for (int i = 0; i < 3; i++) {
        double wi = w.getDouble(i, c);
        t += wi * (gw1.getDouble(i, c) + gw2.getDouble(i, c)) / 2;
        h += 0.5 * wi * wi * (Math.pow(gw1.getDouble(i, c), 2) + Math.pow(gw2.getDouble(i, c), 2)) / 2;
      }
      double bc = b.getDouble(c);
      t += bc * (gb1.getDouble(c) + gb2.getDouble(c)) / 2;
      h += 0.5 * bc * bc * (Math.pow(gb1.getDouble(c), 2) + Math.pow(gb2.getDouble(c), 2)) / 2;
      taylor[c] = Math.abs(t);
      hessian[c] = h;
    }
    DepGraph graph = DepGraph.of(net);
    var data = new ExistingDataSetIterator(batches);
    double[] taylorScores = Criteria.byName("taylor", 0, data, 10).scores(graph, graph.group("layer0"));
    double[] hessianScores = Criteria.byName("hessian", 0, data, 10).scores(graph, graph.group("layer0"));
    assertArrayEquals(taylor, taylorScores, 1e-6);
    assertArrayEquals(hessian, hessianScores, 1e-8);
    assertTrue(java.util.Arrays.stream(hessian).allMatch(h -> h > 0));

    // Only the first batch: the estimate changes.
    double[] oneBatch = Criteria.byName("hessian", 0, data, 1).scores(graph, graph.group("layer0"));
    assertTrue(!java.util.Arrays.equals(hessianScores, oneBatch));
    // The group variant also counts the output layer's input rows: different scores.
    double[] group = Criteria.byName("group-taylor", 0, data, 10).scores(graph, graph.group("layer0"));
    assertEquals(4, group.length);
    assertEquals(1.0, java.util.Arrays.stream(group).average().orElseThrow(), 1e-9, "divided by the group mean");
  }

  @Test
  void scoresAreReproducibleThoughDropoutIsActiveDuringCalibration() {
    // The base model's dense layer has dropout 0.5, active while gradients are computed.
    var net = org.depprune.model.BaseModel.create(org.depprune.model.BaseModel.Spec.defaults());
    DepGraph graph = DepGraph.of(net);
    var random = Nd4j.getRandomFactory().getNewRandomInstance(4);
    List<DataSet> data = List.of(
        new DataSet(Nd4j.rand(random, 16, 1, 28, 28), oneHot10(16)), new DataSet(Nd4j.rand(random, 16, 1, 28, 28), oneHot10(16)));
    double[] first = Criteria.byName("hessian", 0, new ExistingDataSetIterator(data), 2).scores(graph, graph.group("dense"));
    Nd4j.getRandom().nextDouble(); // disturb the global generator between the runs
    double[] second = Criteria.byName("hessian", 0, new ExistingDataSetIterator(data), 2).scores(graph, graph.group("dense"));
    assertArrayEquals(first, second);
  }

  /**
   * Calibration draws its dropout masks from the criterion's seed (the trial's), and leaves ND4J's
   * generator where that stream ends: what the trial then draws (its finetune's dropout masks)
   * follows the trial's seed, not a constant shared by every data-driven trial.
   */
  @Test
  void calibrationDrawsFromTheTrialsSeedNotAConstant() {
    var net = org.depprune.model.BaseModel.create(org.depprune.model.BaseModel.Spec.defaults());
    DepGraph graph = DepGraph.of(net);
    var random = Nd4j.getRandomFactory().getNewRandomInstance(4);
    List<DataSet> data = List.of(new DataSet(Nd4j.rand(random, 16, 1, 28, 28), oneHot10(16)));
    double[] afterOne = scoreThenDraw(graph, data, 1);
    double[] afterTwo = scoreThenDraw(graph, data, 2);
    assertTrue(afterOne[0] != afterTwo[0], "the next draw depends on the trial's seed");
    assertTrue(!java.util.Arrays.equals(java.util.Arrays.copyOfRange(afterOne, 1, afterOne.length),
        java.util.Arrays.copyOfRange(afterTwo, 1, afterTwo.length)), "so do the calibration's dropout masks");
    assertArrayEquals(afterOne, scoreThenDraw(graph, data, 1), "the same seed, the same scores and draws");
  }

  /** The next draw of ND4J's generator after scoring with {@code seed}, then the scores. */
  private static double[] scoreThenDraw(DepGraph graph, List<DataSet> data, long seed) {
    Nd4j.getRandom().setSeed(77); // whatever the task drew before
    double[] scores = Criteria.byName("taylor", seed, new ExistingDataSetIterator(data), 1).scores(graph, graph.group("dense"));
    double[] out = new double[scores.length + 1];
    out[0] = Nd4j.getRandom().nextDouble();
    System.arraycopy(scores, 0, out, 1, scores.length);
    return out;
  }

  private static INDArray oneHot10(int n) {
    INDArray y = Nd4j.zeros(n, 10);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % 10, 1);
    }
    return y;
  }

  @Test
  void dataDrivenCriteriaNeedData() {
    var e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("taylor", 0));
    assertTrue(e.getMessage().contains("needs calibration data"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("group-hessian", 0, null, 4));
    assertTrue(e.getMessage().contains("needs calibration data"), e.getMessage());
  }
}
