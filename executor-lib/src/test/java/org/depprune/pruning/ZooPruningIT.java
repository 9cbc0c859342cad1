package org.depprune.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.depprune.graph.DepGraph;
import org.depprune.graph.FunctionalPruningTest;
import org.depprune.graph.Group;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.model.Zoo;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every DL4J zoo model builds a graph, is pruned by 50% in every prunable group, runs a forward
 * pass with the same output shape, and loses parameters. Writes the README's table to
 * {@code target/zoo-table.md}.
 */
class ZooPruningIT {
  private static final StringBuilder TABLE = new StringBuilder();

  static Stream<String> zoo() {
    return Zoo.names().stream();
  }

  @BeforeAll
  static void header() {
    TABLE.append("| model | groups (prunable) | parameters | after 50% in every group | pruned output |\n")
        .append("| --- | --- | --- | --- | --- |\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("zoo")
  void halvesEveryPrunableGroup(String name) {
    Model net = Zoo.create(name);
    DepGraph graph = DepGraph.builder(net).optInputTypes(Zoo.inputType(name)).build();
    List<Group> prunable = graph.prunableGroups();
    assertTrue(prunable.size() >= graph.groups().size() - 3, name + ": almost every group prunes");

    RatioPruner.Result result = RatioPruner.prune(graph, 0.5, new MagnitudeImportance());
    Model pruned = result.network();
    assertTrue(pruned.numParams() < net.numParams(), name + ": fewer parameters");
    DepGraph after = DepGraph.builder(pruned).optInputTypes(Zoo.inputType(name)).build();
    for (Group g : prunable) {
      int n = g.channels();
      assertEquals(n - n / 2, after.group(g.id()).channels(), name + " group " + g.id());
    }

    int[] shape = Zoo.inputShape(name);
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(1), 1, shape[0], shape[1], shape[2]);
    assertArrayEquals(output(net, x).shape(), output(pruned, x).shape(), name + ": same output shape");

    synchronized (TABLE) {
      TABLE.append(
          String.format(
              "| %s | %d (%d) | %,d | %,d (%.0f%%) | %s |%n",
              name, graph.groups().size(), prunable.size(), net.numParams(), pruned.numParams(),
              100.0 * pruned.numParams() / net.numParams(),
              java.util.Arrays.toString(output(pruned, x).shape())));
    }
  }

  /** Layers that mix channels when they normalise (their output depends on every channel). */
  private static final java.util.Set<String> CROSS_CHANNEL =
      java.util.Set.of("LocalResponseNormalization", "L2NormalizeVertex");

  /**
   * The zoo models whose random-weight forward pass is fast and numerically sane. Left out:
   * vgg16, vgg19, alexnet, yolo2 and unet (slow on two cores), resnet50 (its random-weight output
   * is already NaN before pruning) and inceptionresnetv1 (random-weight activations grow to norms
   * of 1e4 within a few layers, so float32 rounding, 1e-7 relative per layer, reaches 1e-2 at the
   * L2-normalised output; layer by layer its pruned activations match to 1e-7).
   */
  static Stream<String> fastZoo() {
    return Stream.of("lenet", "simplecnn", "squeezenet", "facenetnn4small2", "darknet19",
        "xception", "tinyyolo");
  }

  /**
   * The functional check on real architectures: about a third of the channels of every prunable
   * group made dead at once, all pruned in one go, and the outputs must not change.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fastZoo")
  void pruningDeadChannelsKeepsTheOutput(String name) {
    Model net = Zoo.create(name);
    DepGraph graph = DepGraph.builder(net).optInputTypes(Zoo.inputType(name)).build();
    List<org.depprune.graph.Pruning.Step> steps = new java.util.ArrayList<>();
    for (Group group : graph.prunableGroups()) {
      if (group.members().stream().anyMatch(m -> CROSS_CHANNEL.contains(m.type()))) {
        continue; // a dead channel still counts in these layers' normalisation: not exact
      }
      int[] channels = java.util.stream.IntStream.range(0, group.channels()).filter(c -> c % 3 == 1).toArray();
      if (channels.length > 0) {
        FunctionalPruningTest.killChannels(graph, net, group, channels);
        steps.add(graph.step(group, channels));
      }
    }
    Model pruned = graph.prune(org.depprune.graph.Pruning.of(steps));
    int[] shape = Zoo.inputShape(name);
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(2), 1, shape[0], shape[1], shape[2]);
    INDArray expected = output(net, x);
    INDArray actual = output(pruned, x);
    assertTrue(!expected.isNaN().any(), name + ": the unpruned output is a number");
    assertTrue(!actual.isNaN().any(), name + ": the pruned output is a number");
    double relative = expected.sub(actual).norm2Number().doubleValue()
        / Math.max(1e-6, expected.norm2Number().doubleValue());
    assertTrue(relative < 1e-4, name + ": relative difference " + relative);
  }

  @AfterAll
  static void writeTable() throws IOException {
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/zoo-table.md"), TABLE.toString());
  }

  private static INDArray output(Model net, INDArray x) {
    if (net instanceof ComputationGraph cg) {
      return cg.output(false, x)[0];
    }
    return ((MultiLayerNetwork) net).output(x, false);
  }
}
