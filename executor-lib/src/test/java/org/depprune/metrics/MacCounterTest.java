package org.depprune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class MacCounterTest {
  private static final InputType MNIST = InputType.convolutional(28, 28, 1);

  @Test
  void theBaseModelsMacsAsCountedByHand() {
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());
    MacReport report = MacCounter.count(net, MNIST);
    Map<String, Long> expected = new java.util.LinkedHashMap<>();
    expected.put("stem", 28L * 28 * 16 * 1 * 9);
    expected.put("block1_conv1", 14L * 14 * 16 * 16 * 9);
    expected.put("block1_conv2", 14L * 14 * 16 * 16 * 9);
    expected.put("down", 7L * 7 * 32 * 16 * 9);
    expected.put("block2_conv1", 7L * 7 * 32 * 32 * 9);
    expected.put("block2_conv2", 7L * 7 * 32 * 32 * 9);
    expected.put("dense", 32L * 7 * 7 * 128);
    expected.put("output", 128L * 10);
    assertEquals(expected, report.perLayer());
    assertEquals(2_347_008, report.macs());
    // Batch norms (one per element), the 2x2 max pool (4 per output), the two adds.
    long bn = 28 * 28 * 16 + 2 * 14 * 14 * 16 + 7 * 7 * 32 + 2 * 7 * 7 * 32;
    long pool = 14 * 14 * 16 * 4;
    long adds = 14 * 14 * 16 + 7 * 7 * 32;
    assertEquals(bn + pool + adds, report.otherOps());
    assertEquals(230_634, report.params());
  }

  @Test
  void pruningTheResidualGroupLowersTheMacsByTheRemovedChannels() {
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());
    DepGraph graph = DepGraph.of(net);
    Model pruned = graph.prune(graph.group("stem"), 3, 9);
    long expected = 28L * 28 * 14 * 9 + 2 * 14L * 14 * 16 * 14 * 9 + 7L * 7 * 32 * 14 * 9
        + 2 * 7L * 7 * 32 * 32 * 9 + 32L * 49 * 128 + 1280;
    assertEquals(2_191_776, expected);
    assertEquals(expected, MacCounter.count(pruned, MNIST).macs());
  }

  @Test
  void sequentialAndRecurrentNetworks() {
    MultiLayerNetwork cnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .convolutionMode(ConvolutionMode.Same).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
        .layer(new BatchNormalization.Builder().build())
        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).build())
        .layer(new DenseLayer.Builder().nOut(8).build())
        .layer(new OutputLayer.Builder().nOut(3).build())
        .setInputType(InputType.convolutional(8, 8, 1)).build());
    cnn.init();
    MacReport report = MacCounter.count(cnn, InputType.convolutional(8, 8, 1));
    assertEquals(8 * 8 * 4 * 9 + 4 * 4 * 6 * 4 * 9 + 6 * 16 * 8 + 8 * 3, report.macs());
    assertEquals(8 * 8 * 4 + 4 * 4 * 4 * 4, report.otherOps());

    MultiLayerNetwork rnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
        .layer(new LSTM.Builder().nIn(3).nOut(5).build())
        .layer(new RnnOutputLayer.Builder().nIn(5).nOut(2).build())
        .setInputType(InputType.recurrent(3, 7)).build());
    rnn.init();
    assertEquals(7 * 4 * 5 * (3 + 5) + 7 * 5 * 2, MacCounter.count(rnn, InputType.recurrent(3, 7)).macs());
    assertThrows(IllegalArgumentException.class, () -> MacCounter.count(rnn));
  }

  @Test
  void vgg16MatchesItsPublishedCount() {
    // Simonyan & Zisserman's VGG-16 at 224x224: about 15.5 G multiply-accumulates (conv + dense).
    MacReport report = MacCounter.count(org.depprune.model.Zoo.create("vgg16"), org.depprune.model.Zoo.inputType("vgg16"));
    assertEquals(15.47e9, report.macs(), 0.01 * 15.47e9, "MACs " + report.macs());
    assertEquals(16, report.perLayer().size(), "13 convolutions and 3 dense layers");
  }

  @Test
  void latencyIsTheMedianOfTimedPasses() {
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());
    LatencyMeter.Latency latency = LatencyMeter.measure(net, Nd4j.rand(8, 1, 28, 28), 1, 5);
    assertEquals(8, latency.batchSize());
    assertEquals(5, latency.runs());
    assertTrue(latency.minMillis() > 0 && latency.minMillis() <= latency.medianMillis());
    assertEquals(latency.medianMillis() / 8, latency.perExampleMillis(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> LatencyMeter.measure(net, Nd4j.rand(1, 1, 28, 28), 0, 0));
  }
}
