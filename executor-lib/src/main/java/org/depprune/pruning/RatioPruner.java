package org.depprune.pruning;

import java.util.ArrayList;
import java.util.List;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.graph.Pruning;
import org.depprune.importance.Importance;
import org.deeplearning4j.nn.api.Model;

/**
 * Prunes every prunable group of a graph by one ratio: a group of {@code n} channels keeps
 * {@code n - floor(n * ratio)} (at least one), removing its lowest-scoring channels (ties go to
 * the lower index, so the result is deterministic).
 */
public final class RatioPruner {
  private RatioPruner() {}

  /** The pruned network and the replayable record of what was removed. */
  public record Result(Model network, Pruning pruning) {}

  /** What pruning every prunable group of {@code graph} by {@code ratio} removes. */
  public static Pruning plan(DepGraph graph, double ratio, Importance importance) {
    if (!(ratio >= 0 && ratio < 1)) {
      throw new IllegalArgumentException(
          "pruning ratio must be in [0, 1), found " + ratio + "; 0.5 removes half of each group");
    }
    List<Pruning.Step> steps = new ArrayList<>();
    for (Group group : graph.prunableGroups()) {
      int n = group.channels();
      int remove = (int) Math.floor(n * ratio);
      if (remove == 0) {
        continue;
      }
      int[] lowest = Pruner.lowest(importance.scores(graph, group), remove);
      steps.add(graph.step(group, lowest));
    }
    return Pruning.of(steps);
  }

  /** Prunes every prunable group of {@code graph} by {@code ratio}. */
  public static Result prune(DepGraph graph, double ratio, Importance importance) {
    Pruning pruning = plan(graph, ratio, importance);
    return new Result(graph.prune(pruning), pruning);
  }
}
