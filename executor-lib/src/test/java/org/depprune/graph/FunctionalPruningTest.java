package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The strongest check of a pruning: make channels dead (zero every consumer's input weights for
 * them), prune exactly those channels, and the pruned network must compute the same outputs.
 * Done for every prunable group of every fixture.
 */
class FunctionalPruningTest {

  static Stream<Fixtures.Fixture> fixtures() {
    return Fixtures.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void pruningDeadChannelsKeepsEveryOutput(Fixtures.Fixture fixture) {
    List<Group> prunable = DepGraph.of(fixture.net()).prunableGroups();
    assertTrue(!prunable.isEmpty(), "fixture " + fixture + " has prunable groups");
    for (Group group : prunable) {
      int[] channels = group.channels() == 1 ? new int[0] : pick(group.channels());
      if (channels.length == 0) {
        continue;
      }
      Model dead = copy(fixture.net());
      DepGraph graph = DepGraph.of(dead);
      killChannels(graph, dead, graph.group(group.id()), channels);
      String before = params(fixture.net()).toString();
      Model pruned = graph.prune(graph.group(group.id()), channels);
      assertTrue(pruned.numParams() < dead.numParams(), group.id() + ": fewer parameters");
      List<INDArray> expected = outputs(dead, fixture.input());
      List<INDArray> actual = outputs(pruned, fixture.input());
      for (int o = 0; o < expected.size(); o++) {
        assertArrayEquals(expected.get(o).shape(), actual.get(o).shape());
        double diff = expected.get(o).sub(actual.get(o)).norm2Number().doubleValue();
        double scale = Math.max(1e-6, expected.get(o).norm2Number().doubleValue());
        assertTrue(
            diff / scale < 1e-4,
            fixture + ", group " + group.id() + " channels " + java.util.Arrays.toString(channels)
                + ": relative difference " + diff / scale);
      }
      assertEquals(before, params(fixture.net()).toString(), "the original is untouched");
      // The pruned network is a new graph with consistent widths: it can be pruned again.
      assertEquals(
          DepGraph.of(pruned).group(group.id()).channels(), group.channels() - channels.length);
    }
  }

  /** A spread of about a third of the channels, never all. */
  private static int[] pick(int n) {
    List<Integer> picked = new ArrayList<>();
    for (int c = 1; c < n; c += 3) {
      picked.add(c);
    }
    return picked.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Zeroes the input weights that read {@code channels} in every weighted consumer. */
  static void killChannels(DepGraph graph, Model net, Group group, int[] channels) {
    for (Group.Member member : group.members()) {
      if (member.side() != Side.IN) {
        continue;
      }
      Object config = graph.node(member.node()).config();
      if (!(config instanceof FeedForwardLayer)) {
        continue;
      }
      INDArray w = layerParams(net, member.node()).get("W");
      if (w == null) {
        continue;
      }
      int inDim = config instanceof ConvolutionLayer ? 1 : 0;
      for (int position : graph.positions(group, member.node(), Side.IN, channels)) {
        if (inDim == 1) {
          w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(position)).assign(0);
        } else {
          w.getRow(position).assign(0);
        }
      }
    }
  }

  static java.util.Map<String, INDArray> layerParams(Model net, String name) {
    if (net instanceof ComputationGraph cg) {
      return cg.getLayer(name).paramTable();
    }
    MultiLayerNetwork mln = (MultiLayerNetwork) net;
    for (int i = 0; i < mln.getnLayers(); i++) {
      if (org.depprune.prune.NetworkRebuilder.layerName(mln.getLayerWiseConfigurations(), i).equals(name)) {
        return mln.getLayer(i).paramTable();
      }
    }
    throw new IllegalArgumentException(name);
  }

  static Model copy(Model net) {
    return net instanceof ComputationGraph cg ? cg.clone() : ((MultiLayerNetwork) net).clone();
  }

  static INDArray params(Model net) {
    return net.params().dup();
  }

  static List<INDArray> outputs(Model net, INDArray input) {
    if (net instanceof ComputationGraph cg) {
      return List.of(cg.output(false, input));
    }
    return List.of(((MultiLayerNetwork) net).output(input, false));
  }
}
