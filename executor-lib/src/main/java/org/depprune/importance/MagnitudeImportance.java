package org.depprune.importance;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Magnitude (Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017): the L1 norm of the
 * root layer's parameters that belong to a channel, {@code s_c = sum |W_c|} (a conv's filter and
 * bias, a dense unit's weights and bias; for an attention head, its slices of every projection). Where the root stores no plain per-channel slice (an
 * LSTM's gates), every channel scores 0 and ties go to the lower index.
 */
public final class MagnitudeImportance implements Importance {
  @Override
  public String name() {
    return "magnitude";
  }

  @Override
  public double[] scores(DepGraph graph, Group group) {
    double[][] rows = GroupScores.rows(graph, group, (node, key, w) -> Transforms.abs(w, true),
        m -> m.node().equals(group.root()) && m.side() != Side.IN);
    return rows.length == 0 ? new double[group.channels()] : Reduction.FIRST.reduce(rows);
  }
}
