package org.depprune.driver.config;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.depprune.train.FinetuneRecipe;

/**
 * {@code search.finetune}: how every trial finetunes its pruned network (the minibatch size and the
 * {@link FinetuneRecipe}: optimizer, rate, schedule, weight decay), and the recipe check before
 * round 0 (the unpruned base model finetuned by the same recipe must not get worse).
 *
 * @param guard whether the search checks the recipe on the unpruned base before round 0
 * @param guardBudget the check's finetune images; 0: the last round's budget
 */
public record FinetuneSpec(int batchSize, FinetuneRecipe recipe, boolean guard, int guardBudget) {

  static FinetuneSpec read(Config c, DataSpec.SearchConfigChecks check) {
    FinetuneRecipe.Optimizer optimizer = choose(c, check, "finetune.optimizer", FinetuneRecipe.Optimizer.values());
    FinetuneRecipe.LrSchedule schedule = choose(c, check, "finetune.schedule", FinetuneRecipe.LrSchedule.values());
    double rate = c.getDouble("finetune.learning-rate");
    double factor = c.getDouble("finetune.lr-factor");
    double decay = c.getDouble("finetune.weight-decay");
    check.that(rate >= 0 && !Double.isInfinite(rate), "finetune.learning-rate",
        "must be >= 0 (0: the rate the base model's training ended at)");
    check.that(factor > 0 && !Double.isInfinite(factor), "finetune.lr-factor", "must be > 0");
    check.that(decay >= 0 && !Double.isInfinite(decay), "finetune.weight-decay",
        "must be >= 0 (0: the model's own regularization)");
    String guard = c.getString("finetune.guard");
    check.that(guard.equals("on") || guard.equals("off"), "finetune.guard", "must be on or off");
    int guardBudget = c.getInt("finetune.guard-budget");
    check.that(guardBudget >= 0, "finetune.guard-budget", "must be >= 0 training images (0: the last round's budget)");
    int batch = c.getInt("finetune.batch-size");
    check.that(batch >= 1, "finetune.batch-size", "must be >= 1");
    return new FinetuneSpec(batch, new FinetuneRecipe(optimizer, rate, factor, schedule, decay), guard.equals("on"),
        guardBudget);
  }

  /** The enum constant whose lower-case name {@code key} holds, or a check failure listing the names. */
  private static <E extends Enum<E>> E choose(Config c, DataSpec.SearchConfigChecks check, String key, E[] values) {
    String v = c.getString(key);
    List<String> names = Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    check.that(names.contains(v), key, "must be one of " + String.join(", ", names));
    return values[names.indexOf(v)];
  }
}
