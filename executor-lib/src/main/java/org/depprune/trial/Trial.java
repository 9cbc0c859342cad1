package org.depprune.trial;

import java.io.Serializable;

/**
 * One evaluation of a plan at one fidelity: finetune on {@code budget} training images drawn from
 * training partition {@code partition} and the {@code partitions - 1} after it (a budget larger
 * than one partition reads more of them, up to a whole pass over the training split), with the
 * plan's {@code seed}, then score {@code validationExamples} validation examples.
 *
 * @param origin how the plan was made: {@code uniform}, {@code random}, {@code evolution},
 *     {@code sensitivity}, {@code guard} (the unpruned base, finetuned to check the recipe)
 * @param round the successive-halving round (0 first)
 * @param partitions how many consecutive training partitions, from {@code partition} on (wrapping
 *     round), the trial reads; at least 1
 * @param validationExamples how many validation examples (the lowest ids) the trial is scored on;
 *     0: every one the search holds
 */
public record Trial(Plan plan, String origin, int round, int budget, long seed, int partition, int partitions,
    int validationExamples) implements Serializable {
  public Trial {
    if (budget < 0) {
      throw new IllegalArgumentException("finetune budget must be >= 0 images, found " + budget);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("a trial reads at least one training partition, found " + partitions);
    }
    if (validationExamples < 0) {
      throw new IllegalArgumentException("validation examples must be >= 0 (0: all), found " + validationExamples);
    }
  }

  /** A trial on one partition, scored on every validation example. */
  public Trial(Plan plan, String origin, int round, int budget, long seed, int partition) {
    this(plan, origin, round, budget, seed, partition, 1, 0);
  }

  /** The plan id and the budget: a result is keyed by it, so a re-run replaces, never duplicates. */
  public String id() {
    return plan.id() + "-b" + budget;
  }
}
