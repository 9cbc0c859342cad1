package org.depprune.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.depprune.graph.DepGraph;
import org.depprune.importance.MagnitudeImportance;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Isomorphic ranking on a network with two kinds of groups: two 3x3 convs that read the 1-channel
 * input (kind A, 9 weights a filter) and two 3x3 convs over 8 channels that feed a concat
 * (kind B, 72 weights a filter). Plain global ranking weighs 9-weight filters against 72-weight
 * ones and strips kind A; isomorphic ranking gives each kind exactly its share and ranks only
 * within it.
 */
class IsomorphicRankingTest {

  private static ComputationGraph twoKinds() {
    var conf = new NeuralNetConfiguration.Builder()
        .seed(21).weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same)
        .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(6, 6, 1))
        .addLayer("a1", conv(), "in").addLayer("a2", conv(), "in")
        .addLayer("b1", conv(), "a1").addLayer("b2", conv(), "a2")
        .addVertex("cat", new MergeVertex(), "b1", "b2")
        .addLayer("pool", new GlobalPoolingLayer.Builder().build(), "cat")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
            .activation(Activation.SOFTMAX).build(), "pool")
        .setOutputs("out").build();
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    // a1's filters are a hundred times smaller than a2's: within kind A they rank lowest.
    net.getLayer("a1").getParam("W").muli(0.01);
    return net;
  }

  private static ConvolutionLayer conv() {
    return new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.TANH).build();
  }

  private static Map<String, Integer> channels(Model net) {
    Map<String, Integer> counts = new TreeMap<>();
    DepGraph.of(net).prunableGroups().forEach(g -> counts.put(g.id(), g.channels()));
    return counts;
  }

  @Test
  void groupsOfTheSameStructureShareASignature() {
    DepGraph graph = DepGraph.of(twoKinds());
    String a1 = Isomorphism.signature(graph, graph.group("a1"));
    assertEquals(a1, Isomorphism.signature(graph, graph.group("a2")));
    assertEquals(Isomorphism.signature(graph, graph.group("b1")), Isomorphism.signature(graph, graph.group("b2")));
    assertNotEquals(a1, Isomorphism.signature(graph, graph.group("b1")));
    assertEquals("ConvolutionLayer OUT 1 W[1, 1, 3, 3] b[1] | ConvolutionLayer IN 1 W[8, 1, 3, 3]", a1);
  }

  @Test
  void eachKindLosesExactlyItsShareRankedWithinIt() {
    ComputationGraph net = twoKinds();
    Map<String, Integer> iso = channels(Pruner.builder(new MagnitudeImportance())
        .optRatio(0.5).optIsomorphic(true).optMaxRatio(0.75).build().run(net).network());
    // kind A pools 8 removals: a1's small filters go first, up to its maximum of 6; a2 gives 2.
    assertEquals(2, iso.get("a1"));
    assertEquals(6, iso.get("a2"));
    assertEquals(8, iso.get("b1") + iso.get("b2"), "kind B keeps exactly half of its 16: " + iso);

    Map<String, Integer> global = channels(Pruner.builder(new MagnitudeImportance())
        .optRatio(0.5).optGlobal(true).optMaxRatio(0.75).build().run(net).network());
    assertEquals(16, global.values().stream().mapToInt(Integer::intValue).sum(), "the same total: " + global);
    assertTrue(global.get("a1") + global.get("a2") < 8,
        "plain global ranking strips the 9-weight filters of kind A: " + global);
  }
}
