package org.depprune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.layers.Cost;
import org.depprune.layers.LayerPruner;
import org.depprune.layers.PrunerRegistry;
import org.depprune.layers.Slots;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
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

  /** A chain on {@code input} with Same convolutions, initialised. */
  private static MultiLayerNetwork chain(InputType input, org.deeplearning4j.nn.conf.layers.Layer... layers) {
    var list = new NeuralNetConfiguration.Builder().convolutionMode(ConvolutionMode.Same).list();
    for (var layer : layers) {
      list.layer(layer);
    }
    MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(input).build());
    net.init();
    return net;
  }

  @Test
  void depthwiseSeparableAndOneDimensionalConvolutionsAsCountedByHand() {
    InputType image = InputType.convolutional(8, 8, 2);
    MultiLayerNetwork depthwise = chain(image,
        new ConvolutionLayer.Builder(3, 3).nOut(4).build(),
        new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).build(),
        new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
        new OutputLayer.Builder().nOut(3).build());
    // conv 8x8 x 4 filters x 2 inputs x 9; depthwise 8x8 x 4 inputs x 2 filters each x 9; dense 8 x 3.
    assertEquals(Map.of("layer0", 8L * 8 * 4 * 2 * 9, "layer1", 8L * 8 * 4 * 2 * 9, "layer3", 8L * 3),
        MacCounter.count(depthwise, image).perLayer());

    MultiLayerNetwork separable = chain(image,
        new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(5).build(),
        new GlobalPoolingLayer.Builder(PoolingType.AVG).build(),
        new OutputLayer.Builder().nOut(3).build());
    // depthwise 8x8 x 2 inputs x 2 each x 9, then pointwise 8x8 x 5 filters x 4 inputs.
    assertEquals(8L * 8 * 2 * 2 * 9 + 8L * 8 * 5 * 4, MacCounter.count(separable, image).perLayer().get("layer0"));

    InputType sequence = InputType.recurrent(4, 10);
    MultiLayerNetwork conv1d = chain(sequence,
        new Convolution1DLayer.Builder(3).nOut(6).build(),
        new RnnOutputLayer.Builder().nOut(2).build());
    // 10 steps x 6 filters x 4 inputs x 3 taps; the output layer 10 steps x 6 x 2.
    assertEquals(Map.of("layer0", 10L * 6 * 4 * 3, "layer1", 10L * 6 * 2), MacCounter.count(conv1d, sequence).perLayer());
  }

  /** A custom layer: a dense layer of a class of its own, which no rule of DepPrune's knows. */
  public static final class WideDense extends DenseLayer {
    public WideDense() {}

    WideDense(long nIn, long nOut) {
      setNIn(nIn);
      setNOut(nOut);
      setActivationFn(new org.nd4j.linalg.activations.impl.ActivationIdentity());
    }
  }

  /** Its pruner, registered by a user, with its MACs rule: twice a dense layer's, say. */
  static final class WideDensePruner implements LayerPruner<WideDense> {
    @Override
    public Class<WideDense> type() {
      return WideDense.class;
    }

    @Override
    public int[] connect(WideDense config, java.util.List<int[]> inputSlots, Slots slots) {
      return slots.fresh((int) config.getNOut());
    }

    @Override
    public void resize(WideDense config, java.util.List<int[]> keepIn, int[] keepOut) {
      config.setNIn(keepIn.get(0).length);
      config.setNOut(keepOut.length);
    }

    @Override
    public Map<String, org.nd4j.linalg.api.ndarray.INDArray> slice(WideDense config,
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> params, java.util.List<int[]> keepIn, int[] keepOut) {
      throw new UnsupportedOperationException("not pruned here");
    }

    @Override
    public Cost cost(WideDense config, java.util.List<InputType> in, InputType out) {
      return Cost.macs(2 * config.getNIn() * config.getNOut());
    }
  }

  @Test
  void aRegisteredCustomLayerIsCountedByItsRuleAndAnUnknownWeightedLayerIsAnError() {
    MultiLayerNetwork net = chain(InputType.feedForward(6),
        new DenseLayer.Builder().nOut(5).build(), new WideDense(5, 4), new OutputLayer.Builder().nOut(2).build());
    PrunerRegistry registry = PrunerRegistry.defaults().register(new WideDensePruner());
    assertEquals(Map.of("layer0", 6L * 5, "layer1", 2L * 5 * 4, "layer2", 4L * 2),
        MacCounter.count(net, registry, InputType.feedForward(6)).perLayer());

    var e = assertThrows(IllegalArgumentException.class, () -> MacCounter.count(net, InputType.feedForward(6)));
    assertTrue(e.getMessage().startsWith("layer 'layer1' of type WideDense has parameters but no MACs rule"), e.getMessage());
    assertTrue(e.getMessage().contains("PrunerRegistry.registerCost(WideDense.class"), e.getMessage());

    // A cost rule alone (a type counted, never pruned) does as well; frozen wrappers cost what they wrap.
    PrunerRegistry costOnly = PrunerRegistry.defaults()
        .registerCost(WideDense.class, (layer, in, out) -> Cost.macs(layer.getNIn() * layer.getNOut()));
    assertEquals(5L * 4, MacCounter.count(net, costOnly, InputType.feedForward(6)).perLayer().get("layer1"));
    MultiLayerNetwork frozen = chain(InputType.feedForward(6),
        new org.deeplearning4j.nn.conf.layers.misc.FrozenLayer(new DenseLayer.Builder().nIn(6).nOut(5).build()),
        new OutputLayer.Builder().nOut(2).build());
    assertEquals(Map.of("layer0", 6L * 5, "layer1", 5L * 2), MacCounter.count(frozen, InputType.feedForward(6)).perLayer());
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
