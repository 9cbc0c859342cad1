package org.depprune.importance;

import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Magnitude (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017): the L1 norm of the
 * root layer's parameters that belong to a channel, {@code s_c = sum |W_c|} (a conv's filter and
 * bias, a dense unit's weights and bias). Where the root stores no plain per-channel slice (an
 * LSTM's gates), every channel scores 0 and ties go to the lower index.
 */
public final class MagnitudeImportance implements Importance {
  @Override
  public String name() {
    return "magnitude";
  }

  @Override
  public double[] scores(DepGraph graph, Group group) {
    double[] scores = new double[group.channels()];
    Object config = graph.node(group.root()).config();
    Map<String, Integer> axes =
        graph.registry().layer(config).map(p -> p.outAxes(config)).orElse(Map.of());
    Map<String, INDArray> params = graph.params(group.root());
    int[] positions = graph.positions(group, group.root(), Side.OUT, allChannels(scores.length));
    for (var entry : axes.entrySet()) {
      INDArray p = params.get(entry.getKey());
      if (p == null) {
        continue;
      }
      int axis = entry.getValue() < 0 ? p.rank() - 1 : entry.getValue();
      double[] perPosition = l1PerPosition(p, axis);
      for (int c = 0; c < scores.length; c++) {
        scores[c] += perPosition[positions[c]];
      }
    }
    return scores;
  }

  private static int[] allChannels(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }

  /** The L1 norm of every slice of {@code p} along {@code axis}. */
  private static double[] l1PerPosition(INDArray p, int axis) {
    if (p.rank() == 1) {
      return Transforms.abs(p, true).toDoubleVector();
    }
    int[] others = java.util.stream.IntStream.range(0, p.rank()).filter(d -> d != axis).toArray();
    return Transforms.abs(p, true).sum(others).toDoubleVector();
  }
}
