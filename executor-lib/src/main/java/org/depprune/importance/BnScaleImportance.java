package org.depprune.importance;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Side;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch-norm scale (Liu et al., "Learning Efficient Convolutional Networks through Network
 * Slimming", ICCV 2017): {@code s_c = |gamma_c|}, the mean over the group's batch norms. A group
 * without batch norm scores 0 everywhere (ties go to the lower index).
 */
public final class BnScaleImportance implements Importance {
  @Override
  public String name() {
    return "bn-scale";
  }

  @Override
  public double[] scores(DepGraph graph, Group group) {
    double[][] rows = GroupScores.rows(graph, group,
        (node, key, w) -> key.equals("gamma") ? Transforms.abs(w, true) : w.mul(0),
        m -> m.side() == Side.OUT && m.type().equals("BatchNormalization"));
    return rows.length == 0 ? new double[group.channels()] : Reduction.MEAN.reduce(rows);
  }
}
