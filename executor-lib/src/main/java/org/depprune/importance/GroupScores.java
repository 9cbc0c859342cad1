package org.depprune.importance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The per-member, per-channel sums of a parameter saliency over a group: for every member (node,
 * side) whose parameters have an axis for that side, the saliency tensor is summed over every
 * other axis, and the positions of each channel (one for a conv filter, H*W for a flattened
 * channel's dense inputs) are added up.
 */
final class GroupScores {
  private GroupScores() {}

  /**
   * Rows of channel scores, one per scored member, the root's OUT side first.
   *
   * @param saliency maps (node, parameter key, parameter array) to a tensor of the same shape
   * @param accept which members to score
   */
  static double[][] rows(
      DepGraph graph,
      Group group,
      Saliency saliency,
      java.util.function.Predicate<Group.Member> accept) {
    List<double[]> rows = new ArrayList<>();
    for (Group.Member member : group.members()) {
      if (!accept.test(member)) {
        continue;
      }
      Object config = graph.node(member.node()).config();
      if (config == null) {
        continue;
      }
      Map<String, Integer> axes =
          graph.registry().layer(config)
              .map(p -> member.side() == Side.OUT ? p.outAxes(config) : p.inAxes(config))
              .orElse(Map.of());
      Map<String, INDArray> params = graph.params(member.node());
      if (axes.isEmpty() || params.isEmpty()) {
        continue;
      }
      int[] channelOf = graph.channelMap(group, member.node(), member.side());
      double[] row = new double[group.channels()];
      boolean scored = false;
      for (var entry : axes.entrySet()) {
        INDArray p = params.get(entry.getKey());
        if (p == null) {
          continue;
        }
        int axis = entry.getValue() < 0 ? p.rank() - 1 : entry.getValue();
        double[] perPosition = sumExcept(saliency.apply(member.node(), entry.getKey(), p), axis);
        if (perPosition.length != channelOf.length) {
          continue; // e.g. a depthwise bias: OUT positions are channel x multiplier, not IN ones
        }
        for (int position = 0; position < perPosition.length; position++) {
          if (channelOf[position] >= 0) {
            row[channelOf[position]] += perPosition[position];
            scored = true;
          }
        }
      }
      if (scored) {
        rows.add(row);
      }
    }
    return rows.toArray(new double[0][]);
  }

  /** A per-parameter saliency: a tensor of the parameter's shape. */
  @FunctionalInterface
  interface Saliency {
    INDArray apply(String node, String key, INDArray w);
  }

  static double[] sumExcept(INDArray values, int axis) {
    if (values.rank() == 1) {
      return values.toDoubleVector();
    }
    int[] others = java.util.stream.IntStream.range(0, values.rank()).filter(d -> d != axis).toArray();
    return values.sum(others).toDoubleVector();
  }
}
