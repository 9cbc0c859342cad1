package org.depprune.driver.search;

import java.util.Locale;
import org.depprune.driver.config.FinetuneSpec;
import org.depprune.driver.data.SearchData;
import org.depprune.driver.results.BaseMetrics;
import org.depprune.driver.results.Binomial;
import org.depprune.driver.results.ResultRow;
import org.depprune.trial.Plan;
import org.depprune.trial.Trial;

/**
 * The recipe check: the unpruned base model, finetuned by the search's recipe on the check's
 * budget and scored on the same validation examples as the base model, must not end more than one
 * standard error of the base model's accuracy below it. A recipe that damages a trained network
 * (a rate made for training from scratch, an optimizer whose steps are too large for the weights'
 * scale) leaves every plan's accuracy measuring the recipe instead of the plan; the search stops
 * before any plan is finetuned and says which keys change the recipe. The check's row (origin
 * {@code guard}, round -1) stays in the results: the base model after the same finetune as the
 * plans, which is also the reference a plan's loss to pruning alone is read against.
 */
final class RecipeGuard {
  /** What to change, for both ways the check fails. */
  private static final String FIX = "Lower search.finetune.lr-factor (now %s), set search.finetune.learning-rate, or"
      + " choose another search.finetune.optimizer (model, adam, sgd, nesterovs), and run the same command again (the"
      + " output directory then starts over); search.finetune.guard = off skips this check.";

  private RecipeGuard() {}

  /** The check's trial: the unpruned plan on {@code budget} images, scored on every validation example. */
  static Trial trial(int budget, long searchSeed, int partitions, SearchData data) {
    Plan plan = Plan.unpruned();
    int partition = SearchRounds.partitionOf(plan, partitions);
    return new Trial(plan, "guard", -1, budget, plan.seed(searchSeed), partition,
        data.partitionsFor(partition, budget), 0);
  }

  /** Stops the search (an {@link IllegalStateException} that names the keys) when {@code row} failed the check. */
  static void check(ResultRow row, BaseMetrics base, FinetuneSpec finetune) {
    if (!row.ok()) {
      throw new IllegalStateException(String.format(Locale.ROOT, "search.finetune: finetuning the unpruned base model"
              + " on %,d images with this recipe (%s) failed: %s. A finetune that ends in NaN has diverged: %s",
          row.budget(), finetune.recipe().describe(), row.error(), FIX.formatted(finetune.recipe().lrFactor())));
    }
    double se = Binomial.standardError(base.accuracy(), base.validationExamples());
    if (passes(row.accuracy(), base.accuracy(), se)) {
      return;
    }
    throw new IllegalStateException(String.format(Locale.ROOT, "search.finetune: finetuning the unpruned base model"
            + " on %,d images with this recipe (%s) takes its validation accuracy from %.4f to %.4f, more than one"
            + " standard error (%.4f) below it: every plan's accuracy would measure the recipe, not the plan. %s"
            + " The check's row is %s in results.jsonl",
        row.budget(), finetune.recipe().describe(), base.accuracy(), row.accuracy(), se,
        FIX.formatted(finetune.recipe().lrFactor()), row.trialId()));
  }

  /** Whether a finetuned accuracy is at most one standard error below the base's. */
  static boolean passes(double finetuned, double base, double baseError) {
    return Double.isNaN(baseError) ? finetuned >= base : base - finetuned <= baseError;
  }
}
