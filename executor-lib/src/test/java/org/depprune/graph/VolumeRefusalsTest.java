package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.CapsuleStrengthLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PrimaryCapsules;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.depprune.layers.PrunerRegistry;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Each refused volume-or-miscellany type blocks its producer with the reason Refusals gives. */
class VolumeRefusalsTest {
  private static final PrunerRegistry REGISTRY = PrunerRegistry.defaults();

  private static MultiLayerNetwork net(InputType input, Layer... layers) {
    var list = new NeuralNetConfiguration.Builder().seed(1).convolutionMode(ConvolutionMode.Truncate).list();
    for (Layer layer : layers) {
      list.layer(layer);
    }
    MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(input).build());
    net.init();
    return net;
  }

  /** conv, primary capsules, capsule layer, capsule strengths, output. */
  private static MultiLayerNetwork capsules() {
    return net(InputType.convolutional(8, 8, 1),
        new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(),
        new PrimaryCapsules.Builder(4, 2).kernelSize(3, 3).stride(1, 1).build(),
        new CapsuleLayer.Builder(3, 4, 2).build(),
        new CapsuleStrengthLayer.Builder().build(),
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build());
  }

  private static void assertRefused(MultiLayerNetwork net, String producer, String layer, Class<?> type) {
    String reason = REGISTRY.refusal(type).orElseThrow();
    DepGraph graph = DepGraph.of(net);
    Group group = graph.group(producer);
    assertFalse(group.prunable(), producer + " feeds a refused " + type.getSimpleName());
    var e = assertThrows(IllegalArgumentException.class, () -> graph.prune(group, 1));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("layer '" + layer + "' of type " + type.getSimpleName()), e.getMessage());
  }

  @Test
  void primaryCapsulesPruneTheirInputsAndKeepTheirCapsules() {
    DepGraph graph = DepGraph.of(capsules());
    assertTrue(graph.group("layer0").prunable(), "the conv before the capsules prunes");
    String kept = graph.group("layer1").blocked().orElseThrow();
    assertTrue(kept.contains("'layer1' (PrimaryCapsules) keeps its 32 outputs"), kept);
  }

  @Test
  void aChainOfRefusedCapsuleLayersStillBuildsAGraph() {
    // Neither CapsuleLayer nor CapsuleStrengthLayer knows the other's width; the graph still builds.
    assertTrue(DepGraph.of(capsules()).group("layer4").blocked().orElseThrow().contains("output layer"));
  }

  /** A 1D convolution whose filters are the input capsules ([batch, capsules, dimensions]). */
  private static ConvolutionLayer capsuleProducer() {
    return new Convolution1DLayer.Builder(1).nOut(5).activation(Activation.TANH).build();
  }

  @Test
  void aCapsuleLayerIsRefusedWithTheReason() {
    MultiLayerNetwork net = net(InputType.recurrent(3, 4), capsuleProducer(),
        new CapsuleLayer.Builder(3, 4, 2).build(),
        new CapsuleStrengthLayer.Builder().build(),
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build());
    assertRefused(net, "layer0", "layer1", CapsuleLayer.class);
  }

  @Test
  void capsuleStrengthsAreRefusedWithTheReason() {
    MultiLayerNetwork net = net(InputType.recurrent(3, 4), capsuleProducer(),
        new CapsuleStrengthLayer.Builder().build(),
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build());
    assertRefused(net, "layer0", "layer1", CapsuleStrengthLayer.class);
  }

  @Test
  void aVariationalAutoencoderIsRefusedWithTheReason() {
    MultiLayerNetwork net = net(InputType.feedForward(4),
        new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(),
        new VariationalAutoencoder.Builder().nOut(3).encoderLayerSizes(6).decoderLayerSizes(6).build(),
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build());
    assertRefused(net, "layer0", "layer1", VariationalAutoencoder.class);
  }
}
