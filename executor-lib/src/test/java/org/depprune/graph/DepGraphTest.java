package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class DepGraphTest {
  private static final ComputationGraph BASE = BaseModel.create(BaseModel.Spec.defaults());

  @Test
  void theBaseModelsGroupsFollowItsResidualAdds() {
    DepGraph graph = DepGraph.of(BASE);
    assertEquals(
        List.of("input", "stem", "block1_conv1", "down", "block2_conv1", "dense", "output"),
        graph.groups().stream().map(Group::id).toList());
    assertEquals(
        List.of("stem", "block1_conv1", "down", "block2_conv1", "dense"),
        graph.prunableGroups().stream().map(Group::id).toList());

    Group stem = graph.group("stem");
    assertEquals(16, stem.channels());
    assertEquals(
        List.of(
            "stem OUT", "stem_bn IN", "stem_bn OUT", "stem_relu IN", "stem_relu OUT", "pool IN",
            "pool OUT", "block1_conv1 IN", "block1_conv2 OUT", "block1_bn2 IN", "block1_bn2 OUT",
            "block1_add IN", "block1_add OUT", "block1_relu IN", "block1_relu OUT", "down IN"),
        stem.members().stream().map(m -> m.node() + " " + m.side()).toList());
    // The add's IN side holds both branches: 2 x 16 positions.
    assertEquals(32, member(stem, "block1_add", Side.IN).width());

    Group down = graph.group("down");
    assertEquals(32, down.channels());
    // Each of the 32 channels owns a 7x7 block of the dense layer's 1568 inputs.
    assertEquals(32 * 49, member(down, "dense", Side.IN).width());
    assertArrayEquals(
        new int[] {49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
            68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88,
            89, 90, 91, 92, 93, 94, 95, 96, 97},
        graph.positions(down, "dense", Side.IN, 1));
    // A layer inside a group resolves to it.
    assertEquals("stem", graph.group("block1_bn2").id());
    assertEquals("down", graph.group("block2_relu").id());

    assertFalse(graph.group("output").prunable());
    assertTrue(graph.group("output").blocked().get().contains("output layer"));
    assertTrue(graph.group("input").blocked().get().contains("network input"));
  }

  @Test
  void pruningTheResidualGroupCountsParametersAsByHand() {
    DepGraph graph = DepGraph.of(BASE);
    ComputationGraph pruned = (ComputationGraph) graph.prune(graph.group("stem"), 3, 9);
    // Two of 16 channels leave: the stem's 2 filters (9 weights + bias) and their BN (4 values),
    // block1_conv1's inputs (2 x 9 x 16), block1_conv2's filters (2 x (9 x 16 + 1)) and BN2
    // (2 x 4), and down's inputs (2 x 9 x 32).
    long removed = 2 * (9 + 1 + 4) + 2 * 9 * 16 + 2 * (9 * 16 + 1) + 2 * 4 + 2 * 9 * 32;
    assertEquals(1190, removed);
    assertEquals(BASE.numParams() - removed, pruned.numParams());
    assertArrayEquals(new long[] {14, 1, 3, 3}, pruned.getLayer("stem").getParam("W").shape());
    assertArrayEquals(new long[] {16, 14, 3, 3}, pruned.getLayer("block1_conv1").getParam("W").shape());
    assertArrayEquals(new long[] {32, 14, 3, 3}, pruned.getLayer("down").getParam("W").shape());
    // Surviving filters are carried over exactly: the stem's new filter 3 is its old filter 4.
    assertEquals(
        BASE.getLayer("stem").getParam("W").slice(4), pruned.getLayer("stem").getParam("W").slice(3));

    ComputationGraph flat = (ComputationGraph) graph.prune(graph.group("down"), 0);
    assertEquals(1568 - 49, ((DenseLayer) flat.getLayer("dense").conf().getLayer()).getNIn());
  }

  @Test
  void aPruningIsAReplayableJsonValue() throws Exception {
    DepGraph graph = DepGraph.of(BASE);
    Pruning pruning =
        Pruning.of(
            List.of(graph.step(graph.group("stem"), 0, 5), graph.step(graph.group("dense"), 7, 8, 100)));
    ObjectMapper json = new ObjectMapper();
    String text = json.writeValueAsString(pruning);
    Pruning read = json.readValue(text, Pruning.class);
    assertEquals(pruning, read);
    Model once = graph.prune(pruning);
    Model twice = DepGraph.of(BASE).prune(read);
    assertEquals(once.params(), twice.params());
    assertTrue(text.contains("\"format\":1"), text);
    assertThrows(
        Exception.class, () -> json.readValue(text.replace("\"format\":1", "\"format\":2"), Pruning.class));
  }

  @Test
  void ignoredLayersAreNotPruned() {
    DepGraph graph = DepGraph.builder(BASE).optIgnoredLayers(Set.of("dense")).build();
    assertEquals(
        List.of("stem", "block1_conv1", "down", "block2_conv1"),
        graph.prunableGroups().stream().map(Group::id).toList());
    var e = assertThrows(IllegalArgumentException.class, () -> graph.prune(graph.group("dense"), 1));
    assertTrue(e.getMessage().contains("'dense' is in the ignored layers"), e.getMessage());
    var unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> DepGraph.builder(BASE).optIgnoredLayers(Set.of("dnse")).build());
    assertTrue(unknown.getMessage().contains("no layer or vertex named 'dnse'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("dense"), "lists the real names: " + unknown.getMessage());
  }

  @Test
  void badPruningsAreRefusedAndTheModelIsUnchanged() {
    String params = BASE.params().toString();
    DepGraph graph = DepGraph.of(BASE);
    Group stem = graph.group("stem");
    assertError("no layer or vertex named 'stm'",
        () -> graph.prune(Pruning.of(List.of(new Pruning.Step("stm", Side.OUT, new int[] {1})))));
    assertError("index 16 is out of range for the 16 OUT channels of 'stem'",
        () -> graph.prune(Pruning.of(List.of(new Pruning.Step("stem", Side.OUT, new int[] {16})))));
    assertError("index -1 is out of range",
        () -> graph.prune(Pruning.of(List.of(new Pruning.Step("stem", Side.OUT, new int[] {-1})))));
    assertError("index 2 of 'stem' OUT is repeated",
        () -> graph.prune(Pruning.of(List.of(new Pruning.Step("stem", Side.OUT, new int[] {2, 2})))));
    assertError("channel indices of group 'stem' are repeated", () -> graph.prune(stem, 1, 1));
    int[] all = new int[16];
    for (int i = 0; i < 16; i++) {
      all[i] = i;
    }
    assertError("would remove all 16 channels of group 'stem'", () -> graph.prune(stem, all));
    assertError("'output' is an output layer",
        () -> graph.prune(Pruning.of(List.of(new Pruning.Step("output", Side.OUT, new int[] {0})))));
    assertEquals(params, BASE.params().toString());
  }

  /** A user's own layer type: a subclass, which the registry (by exact class) does not know. */
  public static class CustomActivation extends org.deeplearning4j.nn.conf.layers.ActivationLayer {
    public CustomActivation() {
      super(Activation.IDENTITY);
    }
  }

  @Test
  void anUnsupportedLayerBlocksItsGroupsWithAnErrorThatSaysHowToRegisterOne() {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new CustomActivation())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4))
                .build());
    net.init();
    String params = net.params().toString();
    DepGraph graph = DepGraph.of(net);
    Group first = graph.group("layer0");
    assertFalse(first.prunable());
    assertTrue(graph.group("layer2").prunable(), "the layer after the unsupported one still prunes");
    var e = assertThrows(IllegalArgumentException.class, () -> graph.prune(first, 1));
    assertTrue(e.getMessage().contains("layer 'layer1' of type CustomActivation has no LayerPruner"), e.getMessage());
    assertTrue(e.getMessage().contains("PrunerRegistry.register"), e.getMessage());
    assertEquals(params, net.params().toString());
    assertEquals(4, ((DenseLayer) ((MultiLayerNetwork) graph.prune(graph.group("layer2"), 0)).getLayer(2).conf().getLayer()).getNOut());
  }

  @Test
  void frozenLayersArePrunedOnlyWhenAsked() {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new FrozenLayer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build()))
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
    net.init();
    DepGraph byDefault = DepGraph.of(net);
    assertTrue(byDefault.group("layer0").blocked().get().contains("frozen"), byDefault.group("layer0").blocked().get());
    DepGraph asked =
        DepGraph.builder(net).optRegistry(org.depprune.layers.PrunerRegistry.defaults().withFrozenLayers()).build();
    MultiLayerNetwork pruned = (MultiLayerNetwork) asked.prune(asked.group("layer0"), 0, 2);
    assertEquals(net.numParams() - 2 * (4 + 1) - 2 * 5, pruned.numParams());
    assertEquals(net.getLayer(0).getParam("W").getColumn(1), pruned.getLayer(0).getParam("W").getColumn(0));
  }

  @Test
  void onlyDl4jNetworksAreAccepted() {
    assertError("DepPrune works on ComputationGraph and MultiLayerNetwork models, found null",
        () -> DepGraph.of(null));
  }

  private static Group.Member member(Group group, String node, Side side) {
    return group.members().stream()
        .filter(m -> m.node().equals(node) && m.side() == side)
        .findFirst()
        .orElseThrow();
  }

  private static void assertError(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
