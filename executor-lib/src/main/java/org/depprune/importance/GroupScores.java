package org.depprune.importance;

import java.util.LinkedHashMap;
import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The per-member, per-channel sums of a parameter saliency over a group: every slice the group's
 * channels own ({@link ChannelSlices}) is turned into a saliency tensor, summed over its other
 * axes, and the positions of each channel (one for a conv filter, H*W for a flattened channel's
 * dense inputs) are added up into that member's row.
 */
final class GroupScores {
  private GroupScores() {}

  /** A per-parameter saliency: a tensor of the parameter's shape. */
  @FunctionalInterface
  interface Saliency {
    INDArray apply(String node, String key, INDArray w);
  }

  /** Rows of channel scores, one per scored member, in the group's member order. */
  static double[][] rows(
      DepGraph graph, Group group, Saliency saliency, java.util.function.Predicate<Group.Member> accept) {
    Map<Group.Member, double[]> rows = new LinkedHashMap<>();
    ChannelSlices.forEach(graph, group, accept, slice -> {
      double[] row = rows.computeIfAbsent(slice.member(), m -> new double[group.channels()]);
      double[] perPosition = slice.sumPerPosition(saliency.apply(slice.member().node(), slice.key(), slice.param()));
      for (int p = 0; p < perPosition.length; p++) {
        if (slice.channelOf()[p] >= 0) {
          row[slice.channelOf()[p]] += perPosition[p];
        }
      }
    });
    return rows.values().toArray(new double[0][]);
  }
}
