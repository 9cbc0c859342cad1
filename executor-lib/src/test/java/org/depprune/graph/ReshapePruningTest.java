package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.preprocessors.PermutePreprocessor;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;
import org.depprune.importance.Criteria;
import org.depprune.pruning.RatioPruner;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Pruning through reshapes: whole channels of dense units, and the reshapes refused with why. */
class ReshapePruningTest {

  @Test
  void theDecoderPrunesByWholeChannelsAndTrains() {
    MultiLayerNetwork net = (MultiLayerNetwork) ReshapeFixtures.decoder().net();
    DepGraph graph = DepGraph.of(net);
    assertEquals(4, graph.group("dense").channels(), "the dense layer's 36 units are 4 channels of 3x3");

    RatioPruner.Result result = RatioPruner.prune(graph, 0.5, Criteria.byName("magnitude", 1));
    MultiLayerNetwork pruned = (MultiLayerNetwork) result.network();

    Pruning.Step denseStep = result.pruning().steps().stream()
        .filter(s -> s.layer().equals("dense")).findFirst().orElseThrow();
    int[] removedUnits = denseStep.indices();
    int[] removedChannels = Arrays.stream(removedUnits).map(u -> u / 9).distinct().sorted().toArray();
    assertEquals(2, removedChannels.length, "half of the 4 channels");
    assertEquals(18, removedUnits.length, "every unit of each removed channel");
    DenseLayer dense = (DenseLayer) pruned.getLayer(0).conf().getLayer();
    Deconvolution2D deconv = (Deconvolution2D) pruned.getLayer(1).conf().getLayer();
    assertEquals(18, dense.getNOut());
    assertEquals(2, deconv.getNIn());
    assertEquals(2, ((FeedForwardToCnnPreProcessor) pruned.getLayerWiseConfigurations().getInputPreProcess(1)).getNumChannels());
    assertTrue(pruned.numParams() < net.numParams());

    // The kept units are the kept channels' blocks, with their weights.
    int[] keptUnits = java.util.stream.IntStream.range(0, 36)
        .filter(u -> Arrays.binarySearch(removedChannels, u / 9) < 0).toArray();
    INDArray expectedW = net.getLayer(0).getParam("W").getColumns(keptUnits);
    assertEquals(expectedW, pruned.getLayer(0).getParam("W"));

    INDArray before = pruned.params().dup();
    INDArray features = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), 4, 5);
    INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
    pruned.fit(new DataSet(features, labels));
    INDArray after = pruned.params();
    assertFalse(after.isNaN().any() || after.isInfinite().any(), "finite parameters after a step");
    assertTrue(after.sub(before).norm2Number().doubleValue() > 0, "the step changed the parameters");
  }

  /**
   * DL4J passes image-shaped input through a FeedForwardToCnnPreProcessor unchanged: a network
   * declared with flat input (as VGG-16 and AlexNet of the zoo are) and graphed with its images'
   * input type keeps the input's channels and prunes the conv after it.
   */
  @Test
  void imageInputPassesThroughAFeedForwardToCnnPreprocessor() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).build())
        .layer(new GlobalPoolingLayer.Builder().build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
        .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutionalFlat(5, 5, 2)).build());
    net.init();
    assertTrue(net.getLayerWiseConfigurations().getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor);
    INDArray images = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(4), 3, 2, 5, 5);
    assertEquals(net.output(images.reshape('c', 3, 50)), net.output(images), "DL4J passes the images through");

    DepGraph graph = DepGraph.builder(net).optInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(5, 5, 2)).build();
    assertEquals(6, graph.group("layer0").channels());
    assertFalse(graph.group("layer0").blocked().isPresent());
    MultiLayerNetwork pruned = (MultiLayerNetwork) graph.prune(graph.group("layer0"), 1, 4);
    assertEquals(4, ((ConvolutionLayer) pruned.getLayer(0).conf().getLayer()).getNOut());
    assertArrayEquals(new long[] {3, 2}, pruned.output(images).shape());
    assertEquals(2 * 25, ((FeedForwardToCnnPreProcessor) pruned.getLayerWiseConfigurations().getInputPreProcess(0))
        .getNumChannels() * 25, "the preprocessor still expects the 2 input channels");
  }

  @Test
  void theOldFeedForwardToCnnRefusalIsGone() {
    DepGraph graph = DepGraph.of(ReshapeFixtures.decoder().net());
    assertTrue(graph.group("dense").prunable());
    for (Group g : graph.groups()) {
      g.blocked().ifPresent(why -> assertFalse(why.contains("has no PreprocessorPruner"), why));
      g.blocked().ifPresent(why -> assertFalse(why.contains("FeedForwardToCnnPreProcessor"), why));
    }
  }

  @Test
  void aKerasReshapeOfAnImageIsRefusedWithTheReason() {
    Group before = DepGraph.of(denseThrough(new ReshapePreprocessor(new long[] {3, 4}, new long[] {12}, false))).group("a");
    assertFalse(before.prunable());
    assertTrue(before.blocked().orElseThrow().contains(
        "the ReshapePreprocessor before 'b' is not pruned: it reshapes a [3, 4] activation"), before.blocked().orElseThrow());
  }

  @Test
  void aKerasReshapeOfDenseUnitsToAnNhwcImagePrunesByWholeChannels() {
    DepGraph graph = DepGraph.of(ReshapeFixtures.kerasReshape().net());
    assertEquals(3, graph.group("dense").channels(), "12 units as [2, 2, 3]: 3 channels");
    assertArrayEquals(new int[] {1, 4, 7, 10}, graph.positions(graph.group("dense"), "dense", Side.OUT, 1),
        "channels last: channel 1 owns units 1, 4, 7, 10");
  }

  @Test
  void aKerasPermuteIsRefusedWithTheReason() {
    Group before = DepGraph.of(denseThrough(new PermutePreprocessor(new int[] {1}))).group("a");
    assertTrue(before.blocked().orElseThrow().contains("the PermutePreprocessor before 'b' is not pruned: a Keras Permute"),
        before.blocked().orElseThrow());
  }

  @Test
  void aReshapeVertexThatMixesChannelsIsRefusedAndTheRestStillPrunes() {
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
        .addInputs("in")
        .addLayer("a", new ConvolutionLayer.Builder(1, 1).nIn(2).nOut(4).build(), "in")
        .addVertex("mix", new ReshapeVertex('c', new int[] {-1, 8, 1, 2}, null), "a")
        .addLayer("b", new ConvolutionLayer.Builder(1, 1).nIn(8).nOut(5).build(), "mix")
        .addLayer("gap", new GlobalPoolingLayer.Builder().build(), "b")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
            .activation(Activation.SOFTMAX).build(), "gap")
        .setOutputs("out")
        .build());
    net.init();
    DepGraph graph = DepGraph.of(net);
    String why = graph.group("a").blocked().orElseThrow();
    assertTrue(why.contains("'mix' (ReshapeVertex) is not pruned") && why.contains("can mix channels"), why);
    assertTrue(graph.group("b").prunable(), "layers past the reshape still prune");
  }

  @Test
  void aComposedPreprocessorWithAnUnsupportedMemberIsBlockedWithTheMembersReason() {
    // A graph without input types: DL4J does not type-check a Permute of dense units there.
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
        .addInputs("in")
        .addLayer("a", new DenseLayer.Builder().nIn(4).nOut(12).build(), "in")
        .addLayer("b", new DenseLayer.Builder().nIn(12).nOut(3).build(), new ComposableInputPreProcessor(
            new RnnToFeedForwardPreProcessor(), new PermutePreprocessor(new int[] {1})), "a")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
            .activation(Activation.SOFTMAX).build(), "b")
        .setOutputs("out")
        .build());
    net.init();
    Group before = DepGraph.of(net).group("a");
    String why = before.blocked().orElseThrow();
    assertTrue(why.contains("the ComposableInputPreProcessor before 'b' is not pruned: its member"
        + " PermutePreprocessor is not pruned: a Keras Permute"), why);
  }

  @Test
  void aPreprocessorVertexOnTheNetworkInputTakesItsWidthFromThePreprocessor() {
    ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
        .addInputs("in")
        .addVertex("image", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(2, 2, 3)), "in")
        .addLayer("c", new ConvolutionLayer.Builder(1, 1).nIn(3).nOut(4).build(), "image")
        .addLayer("gap", new GlobalPoolingLayer.Builder().build(), "c")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
            .activation(Activation.SOFTMAX).build(), "gap")
        .setOutputs("out")
        .build());
    net.init();
    DepGraph graph = DepGraph.of(net);
    assertEquals(12, graph.node("in").outChannels(), "2 x 2 x 3 input features, read from the preprocessor");
    assertEquals(3, graph.node("image").outChannels());
    assertTrue(graph.group("c").prunable());
  }

  /** dense 'a' (12 units), the given preprocessor, dense 'b', output. */
  private static MultiLayerNetwork denseThrough(org.deeplearning4j.nn.conf.InputPreProcessor pre) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
        .layer(new DenseLayer.Builder().name("a").nIn(4).nOut(12).build())
        .layer(new DenseLayer.Builder().name("b").nIn(12).nOut(3).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(3).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .inputPreProcessor(1, pre)
        .build());
    net.init();
    return net;
  }

}
