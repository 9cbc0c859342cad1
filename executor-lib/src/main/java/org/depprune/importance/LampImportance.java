package org.depprune.importance;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;

/**
 * LAMP (Lee et al., "Layer-adaptive Sparsity for the Magnitude-based Pruning", ICLR 2021): the
 * root's squared L2 magnitude {@code m_c = sum W_c^2}, normalised as
 * {@code s_c = m_c / sum of m_j over every j with m_j >= m_c}, which makes scores comparable
 * across layers for global pruning.
 */
public final class LampImportance implements Importance {
  @Override
  public String name() {
    return "lamp";
  }

  @Override
  public double[] scores(DepGraph graph, Group group) {
    double[][] rows = GroupScores.rows(graph, group, (node, key, w) -> w.mul(w),
        m -> m.node().equals(group.root()) && m.side() != Side.IN);
    return rows.length == 0 ? new double[group.channels()] : Normalizer.LAMP.normalize(rows[0]);
  }
}
