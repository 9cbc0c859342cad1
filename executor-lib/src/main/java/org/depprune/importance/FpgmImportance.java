package org.depprune.importance;

import java.util.ArrayList;
import java.util.List;

import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * FPGM (He et al., "Filter Pruning via Geometric Median", CVPR 2019): filters near the
 * geometric median of their layer are the most replaceable, so a filter scores its total distance
 * to the others, {@code s_c = sum_j ||F_c - F_j||_2}, over the root's weight filters.
 */
public final class FpgmImportance implements Importance {
  @Override
  public String name() {
    return "fpgm";
  }

  @Override
  public double[] scores(DepGraph graph, Group group) {
    Object config = graph.node(group.root()).config();
    Map<String, Integer> axes = graph.registry().layer(config).map(p -> p.outAxes(config)).orElse(Map.of());
    INDArray w = graph.params(group.root()).get("W");
    Integer axis = axes.get("W");
    double[] scores = new double[group.channels()];
    if (w == null || axis == null) {
      return group.members().stream().anyMatch(m -> m.node().equals(group.root()) && m.side() == Side.INNER)
          ? overInnerSlices(graph, group) : scores;
    }
    int[] channelOf = graph.channelMap(group, group.root(), Side.OUT);
    int[] order = new int[w.rank()];
    order[0] = axis;
    for (int d = 0, k = 1; d < w.rank(); d++) {
      if (d != axis) {
        order[k++] = d;
      }
    }
    INDArray filters = w.permute(order).dup('c').reshape('c', w.size(axis), w.length() / w.size(axis));
    INDArray squares = filters.mul(filters).sum(1);
    INDArray dots = filters.mmul(filters.transpose());
    for (int p = 0; p < filters.rows(); p++) {
      if (channelOf[p] < 0) {
        continue;
      }
      double sum = 0;
      for (int q = 0; q < filters.rows(); q++) {
        double d2 = squares.getDouble(p) + squares.getDouble(q) - 2 * dots.getDouble(p, q);
        sum += Math.sqrt(Math.max(0, d2));
      }
      scores[channelOf[p]] = sum;
    }
    return scores;
  }

  /**
   * Attention heads (INNER channels): a head's "filter" is every value it owns in its layer's
   * projections (its slices of {@code Wq}, {@code Wk}, {@code Wv} and its rows of {@code Wo}),
   * laid end to end; heads are then scored by their total distance to the others, as filters.
   */
  private static double[] overInnerSlices(DepGraph graph, Group group) {
    int channels = group.channels();
    List<List<double[]>> parts = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      parts.add(new ArrayList<>());
    }
    ChannelSlices.forEach(graph, group, m -> m.node().equals(group.root()) && m.side() == Side.INNER, slice -> {
      INDArray p = slice.param();
      int[] order = new int[p.rank()];
      order[0] = slice.axis();
      for (int d = 0, k = 1; d < p.rank(); d++) {
        if (d != slice.axis()) {
          order[k++] = d;
        }
      }
      INDArray rows = p.permute(order).dup('c').reshape('c', p.size(slice.axis()), p.length() / p.size(slice.axis()));
      for (int pos = 0; pos < rows.rows(); pos++) {
        int c = slice.channelOf()[pos];
        if (c >= 0) {
          parts.get(c).add(rows.getRow(pos).toDoubleVector());
        }
      }
    });
    double[][] filters = new double[channels][];
    for (int c = 0; c < channels; c++) {
      filters[c] = parts.get(c).stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }
    double[] scores = new double[channels];
    for (int a = 0; a < channels; a++) {
      for (int b = 0; b < channels; b++) {
        double d2 = 0;
        for (int i = 0; i < filters[a].length; i++) {
          double diff = filters[a][i] - filters[b][i];
          d2 += diff * diff;
        }
        scores[a] += Math.sqrt(d2);
      }
    }
    return scores;
  }
}
