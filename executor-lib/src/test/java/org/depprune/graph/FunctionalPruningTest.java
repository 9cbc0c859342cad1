package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.LocallyConnected1D;
import org.deeplearning4j.nn.conf.layers.LocallyConnected2D;
import org.deeplearning4j.nn.conf.layers.PrimaryCapsules;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.graph.AttentionVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
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
public class FunctionalPruningTest {

  static Stream<Fixtures.Fixture> fixtures() {
    return Fixtures.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void pruningDeadChannelsKeepsEveryOutput(Fixtures.Fixture fixture) {
    List<Group> prunable = fixture.graph(fixture.net()).prunableGroups();
    assertTrue(!prunable.isEmpty(), "fixture " + fixture + " has prunable groups");
    for (Group group : prunable) {
      int[] channels = group.channels() == 1 ? new int[0] : pick(group.channels());
      if (channels.length == 0) {
        continue;
      }
      Model dead = copy(fixture.net());
      DepGraph graph = fixture.graph(dead);
      killChannels(graph, dead, graph.group(group.id()), channels);
      String before = params(fixture.net()).toString();
      Model pruned = graph.prune(graph.group(group.id()), channels);
      // params().length(), not numParams(): DL4J's numParams() leaves out an attention vertex's
      assertTrue(pruned.params().length() < dead.params().length(), group.id() + ": fewer parameters");
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
          fixture.graph(pruned).group(group.id()).channels(), group.channels() - channels.length);
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

  /**
   * Zeroes the weights that read {@code channels}: every weighted consumer's input weights, and a
   * recurrent layer's own recurrent weights from those units. For an attention layer: its
   * projections' input slices (IN), the query projection's slice of a recurrent attention
   * layer's state (OUT), and every projection's slice of dead heads or head dimensions (INNER).
   */
  public static void killChannels(DepGraph graph, Model net, Group group, int[] channels) {
    for (Group.Member member : group.members()) {
      Object config = graph.node(member.node()).config();
      int[] positions = graph.positions(group, member.node(), member.side(), channels);
      if (config instanceof SelfAttentionLayer || config instanceof RecurrentAttentionLayer
          || config instanceof AttentionVertex) {
        killAttention(graph, layerParams(net, member.node()), config, member.side(), positions);
        continue;
      }
      if (config instanceof ElementWiseMultiplicationLayer) {
        continue; // it scales each channel by itself; the consumer after it reads the channel
      }
      if (config instanceof PrimaryCapsules && member.side() == Side.IN) {
        INDArray w = layerParams(net, member.node()).get("weight"); // [kH, kW, nIn, filters]
        zero(w, w.shape(), 2, positions);
        continue;
      }
      boolean locallyConnected = config instanceof LocallyConnected2D || config instanceof LocallyConnected1D;
      java.util.Map<String, INDArray> params =
          config instanceof Layer ? layerParams(net, member.node()) : java.util.Map.of();
      if (member.side() == Side.IN && params.get("W") != null) {
        INDArray w = params.get("W");
        if (locallyConnected) {
          // [positions, nIn * kernel area, nOut], each patch flattened channel-major.
          long area = config instanceof LocallyConnected2D lc2
              ? (long) lc2.getKernel()[0] * lc2.getKernel()[1] : ((LocallyConnected1D) config).getKernel();
          zero(w, new long[] {w.size(0), w.size(1) / area, area, w.size(2)}, 1, positions);
        } else if (config instanceof Convolution1DLayer) {
          // DL4J computes with this memory as [k, nIn, nOut], whatever shape it reports.
          zero(w, new long[] {w.size(2), w.size(1), w.size(0)}, 1, positions);
        } else {
          zero(w, w.shape(), inputDimension(config), positions);
        }
      }
      // The input weights of each direction: Bidirectional's (fW, bW), GravesBidirectionalLSTM's (WF, WB).
      for (String key : java.util.List.of("fW", "bW", "WF", "WB")) {
        if (member.side() == Side.IN && params.get(key) != null) {
          zero(params.get(key), params.get(key).shape(), 0, positions);
        }
      }
      for (String key : java.util.List.of("RW", "fRW", "bRW", "RWF", "RWB")) {
        INDArray rw = params.get(key);
        if (member.side() == Side.OUT && rw != null) {
          // One row per unit; a CONCAT Bidirectional's output positions i and n + i are unit i.
          zero(rw, rw.shape(), 0, java.util.Arrays.stream(positions).filter(p -> p < rw.size(0)).toArray());
        }
      }
      if (member.side() == Side.OUT && readByL2(graph, group) && !params.isEmpty()) {
        // An L2 vertex (distance or normalisation) reads every channel's value without weights:
        // make the channels zero at the source instead (its filters or units and their biases).
        java.util.Map<String, INDArray> own = params;
        graph.registry().layer(config).orElseThrow().outAxes(config).forEach((key, axis) -> {
          INDArray p = own.get(key);
          if (p != null) {
            zero(p, p.shape(), axis < 0 ? p.rank() - 1 : axis, positions);
          }
        });
      }
    }
  }

  private static boolean readByL2(DepGraph graph, Group group) {
    return group.members().stream()
        .anyMatch(m -> graph.node(m.node()).config() instanceof org.deeplearning4j.nn.conf.graph.L2Vertex
            || graph.node(m.node()).config() instanceof org.deeplearning4j.nn.conf.graph.L2NormalizeVertex);
  }

  /** Attention layers: projections {@code [nHeads, headSize, n]}, {@code Wo [nHeads * headSize, nOut]}. */
  private static void killAttention(
      DepGraph graph, java.util.Map<String, INDArray> params, Object config, Side side, int[] positions) {
    boolean recurrent = config instanceof RecurrentAttentionLayer;
    if (side == Side.IN && config instanceof AttentionVertex) {
      // queries, keys and values side by side: each position belongs to one projection
      String[] keys = {"Wq", "Wk", "Wv"};
      for (int p : positions) {
        int k = 0;
        while (p >= params.get(keys[k]).size(2)) {
          p -= params.get(keys[k++]).size(2);
        }
        zero(params.get(keys[k]), params.get(keys[k]).shape(), 2, new int[] {p});
      }
    } else if (side == Side.IN) {
      for (String key : new String[] {"Wq", "Wk", "Wv"}) {
        if (!(recurrent && key.equals("Wq"))) {
          zero(params.get(key), params.get(key).shape(), 2, positions);
        }
      }
      if (recurrent) {
        zero(params.get("W"), params.get("W").shape(), 0, positions);
      }
    } else if (side == Side.OUT && recurrent) {
      zero(params.get("RW"), params.get("RW").shape(), 0, positions);
      zero(params.get("Wq"), params.get("Wq").shape(), 2, positions);
    } else if (side == Side.INNER) {
      // A head (or a head dimension) that scores nothing and writes nothing.
      // the registry's mode: heads lie on axis 0 of Wq, per-head dimensions on axis 1
      int dim = graph.registry().layer(config).orElseThrow().innerAxes(config).get("Wq").axis();
      for (String key : new String[] {"Wq", "Wk", "Wv"}) {
        zero(params.get(key), params.get(key).shape(), dim, positions);
      }
      INDArray wo = params.get("Wo");
      long nHeads = params.get("Wq").size(0);
      zero(wo, new long[] {nHeads, params.get("Wq").size(1), wo.size(1)}, dim, positions);
    }
  }

  /** Where each weighted layer type keeps its input channels (independent of the pruners). */
  private static int inputDimension(Object config) {
    if (config instanceof Deconvolution2D) {
      return 0;
    }
    if (config instanceof Deconvolution3D) {
      return 4; // [kD, kH, kW, nOut, nIn]
    }
    if (config instanceof SeparableConvolution2D) {
      return 1; // the depthwise weights [m, nIn, kH, kW]
    }
    if (config instanceof DepthwiseConvolution2D) {
      return 2;
    }
    return config instanceof ConvolutionLayer ? 1 : 0;
  }

  /**
   * Multiplies by a mask that is zero at {@code positions} of dimension {@code dim} when the
   * weights are seen (row-major) as {@code layout}; a mask works on any view, whatever its order.
   */
  private static void zero(INDArray weights, long[] layout, int dim, int[] positions) {
    INDArray mask = org.nd4j.linalg.factory.Nd4j.ones(weights.dataType(), layout);
    for (int p : positions) {
      org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[layout.length];
      for (int d = 0; d < index.length; d++) {
        index[d] = d == dim ? org.nd4j.linalg.indexing.NDArrayIndex.point(p) : org.nd4j.linalg.indexing.NDArrayIndex.all();
      }
      mask.get(index).assign(0);
    }
    weights.muli(mask.reshape('c', weights.shape()));
  }

  static java.util.Map<String, INDArray> layerParams(Model net, String name) {
    return org.depprune.network.Network.of(net).params(name);
  }

  public static Model copy(Model net) {
    return net instanceof ComputationGraph cg ? cg.clone() : ((MultiLayerNetwork) net).clone();
  }

  static INDArray params(Model net) {
    return net.params().dup();
  }

  public static List<INDArray> outputs(Model net, INDArray input) {
    if (net instanceof ComputationGraph cg) {
      return List.of(cg.output(false, input));
    }
    return List.of(((MultiLayerNetwork) net).output(input, false));
  }
}
