package org.depprune.trial;

import java.util.HashSet;
import java.util.Locale;
import org.depprune.data.BatchIterator;
import org.depprune.data.ExampleSet;
import org.depprune.graph.DepGraph;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.sparse.GroupLasso;
import org.depprune.sparse.GrowingRegularization;
import org.depprune.sparse.SparseLearning;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.api.Model;

/**
 * A plan's sparse-learning warm-up ({@link Plan#SPARSE_WARMUP}): before pruning, the base model
 * trains on {@code images} images of the trial's partition with a sparsity penalty, so the
 * channels about to go shrink first, as DepGraph's headline results do with group sparse learning.
 * The option's value is {@code method/images/strength}:
 * <ul>
 *   <li>{@code group-lasso}: {@link GroupLasso} on every prunable group, strength its lambda;
 *   <li>{@code growing-reg}: {@link GrowingRegularization} on the channels the plan's ratios will
 *       remove (chosen by magnitude at the start), strength its step per iteration, capped at 1.
 * </ul>
 */
public record SparseWarmup(String method, int images, double strength) {
  public SparseWarmup {
    if (!method.equals("group-lasso") && !method.equals("growing-reg")) {
      throw new IllegalArgumentException("sparse warm-up method must be group-lasso or growing-reg, found " + method);
    }
    if (images < 1 || !(strength > 0)) {
      throw new IllegalArgumentException("sparse warm-up needs images >= 1 and strength > 0, found " + images
          + " and " + strength);
    }
  }

  /** Reads the option's value {@code method/images/strength}. */
  public static SparseWarmup parse(String value) {
    String[] parts = value.split("/");
    if (parts.length != 3) {
      throw new IllegalArgumentException("plan option " + Plan.SPARSE_WARMUP + " must read method/images/strength,"
          + " found '" + value + "'");
    }
    return new SparseWarmup(parts[0].toLowerCase(Locale.ROOT), Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
  }

  /** Trains {@code model} in place with the penalty on {@code order}'s images; the listener is removed after. */
  public void train(Model model, Plan plan, TrialSettings settings, ExampleSet train, int[] order) {
    DepGraph graph = DepGraph.builder(model).optIgnoredLayers(new HashSet<>(settings.ignoredLayers()))
        .optInputTypes(settings.inputType()).build();
    SparseLearning penalty = method.equals("group-lasso") ? new GroupLasso(graph, strength)
        : new GrowingRegularization(graph, new MagnitudeImportance(),
            group -> plan.ratios().getOrDefault(group.root(), 0.0), strength, 1, Math.max(strength, 1.0));
    model.setListeners(penalty);
    try {
      Trainer.fit(model, BatchIterator.ordered(train, order, settings.finetuneBatchSize()), 1);
    } finally {
      model.setListeners(java.util.List.of());
    }
  }
}
