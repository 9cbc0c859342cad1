package org.depprune.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The structure of a group, for isomorphic ranking (Fang et al., "Isomorphic Pruning for Vision
 * Models", ECCV 2024): two groups are isomorphic when their members, in order, have the same
 * layer types and sides, the same number of positions per channel, and parameter slices of the
 * same shape per channel. Channels are then compared only with channels of isomorphic groups,
 * whose scores live on the same scale (a 3x3 conv filter over 64 inputs is not weighed against a
 * dense unit over 3,136).
 */
public final class Isomorphism {
  private Isomorphism() {}

  /**
   * The signature of {@code group}: equal for isomorphic groups, whatever their layers' names
   * and channel counts. One entry per member: {@code type side positions-per-channel} and the
   * shape of each parameter's slice for one channel, keys sorted.
   */
  public static String signature(DepGraph graph, Group group) {
    List<String> parts = new ArrayList<>();
    for (Group.Member member : group.members()) {
      StringBuilder part = new StringBuilder()
          .append(member.type()).append(' ').append(member.side()).append(' ')
          .append(member.width() / group.channels());
      Object config = graph.node(member.node()).config();
      if (config != null) {
        Map<String, Integer> axes = graph.registry().layer(config)
            .map(p -> member.side() == Side.OUT ? p.outAxes(config) : p.inAxes(config))
            .orElse(Map.of());
        Map<String, INDArray> params = graph.params(member.node());
        axes.keySet().stream().sorted().forEach(key -> {
          INDArray p = params.get(key);
          if (p != null) {
            int axis = axes.get(key) < 0 ? p.rank() - 1 : axes.get(key);
            long[] shape = p.shape().clone();
            shape[axis] = 1;
            part.append(' ').append(key).append(Arrays.toString(shape));
          }
        });
      }
      parts.add(part.toString());
    }
    return String.join(" | ", parts);
  }
}
