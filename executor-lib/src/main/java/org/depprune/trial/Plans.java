package org.depprune.trial;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.metrics.MacCounter;
import org.depprune.pruning.Pruner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** What the driver needs to know about a base model to lay out and check plans. */
public final class Plans {
  private Plans() {}

  /**
   * The layers a plan may give ratios to: the root layers of the model's prunable groups, in
   * graph order, without {@code ignored} ones.
   */
  public static List<String> prunableLayers(Model base, Set<String> ignored, InputType... inputTypes) {
    DepGraph graph = DepGraph.builder(base).optIgnoredLayers(ignored).optInputTypes(inputTypes).build();
    return graph.prunableGroups().stream().map(Group::root).filter(root -> !ignored.contains(root)).toList();
  }

  /**
   * The plan's MACs over the base model's. MACs depend on the channel counts only, not on which
   * channels go, so this prunes by magnitude (no data needed) whatever the plan's criterion.
   */
  public static double macsShare(Model base, Plan plan, int roundTo, Set<String> ignored, InputType... inputTypes) {
    return cost(base, plan, roundTo, ignored, inputTypes).macsShare();
  }

  /** What a plan's pruned network costs: its MACs over the base model's, and its parameters. */
  public record Cost(double macsShare, long params) {}

  /** The plan's {@link Cost}, found as {@link #macsShare} finds the MACs share. */
  public static Cost cost(Model base, Plan plan, int roundTo, Set<String> ignored, InputType... inputTypes) {
    Pruner.Result result = Pruner.builder(new MagnitudeImportance())
        .optRatio(0)
        .optLayerRatios(plan.ratios())
        .optRoundTo(roundTo)
        .optIgnoredLayers(new HashSet<>(ignored))
        .optInputTypes(inputTypes)
        .build()
        .run(base);
    try {
      return new Cost(result.macsKept(), MacCounter.count(result.network(), inputTypes).params());
    } finally {
      // Its arrays are off the Java heap: a driver scaling plans to a budget prunes hundreds of
      // networks, which the garbage collector would free too late (the base model is untouched).
      result.network().close();
    }
  }
}
