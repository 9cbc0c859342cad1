package org.depprune.importance;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;

/**
 * DepGraph's group norm (Fang et al., CVPR 2023): every parameter the channel owns anywhere in
 * the group counts, {@code s_c = mean over members k of sum_{w in member k, channel c} w^2}, then
 * divided by the group's mean so that groups compare. Reduction and normaliser are options.
 */
public final class GroupNormImportance implements Importance {
  private final Reduction reduction;
  private final Normalizer normalizer;

  public GroupNormImportance() {
    this(Reduction.MEAN, Normalizer.MEAN);
  }

  public GroupNormImportance(Reduction reduction, Normalizer normalizer) {
    this.reduction = reduction;
    this.normalizer = normalizer;
  }

  @Override
  public String name() {
    return "group-norm";
  }

  @Override
  public double[] scores(DepGraph graph, Group group) {
    double[][] rows = GroupScores.rows(graph, group, (node, key, w) -> w.mul(w), m -> true);
    return rows.length == 0 ? new double[group.channels()] : normalizer.normalize(reduction.reduce(rows));
  }
}
