package org.depprune.trial;

import java.io.Serializable;

/**
 * One evaluation of a plan at one fidelity: finetune on {@code budget} training images from
 * training partition {@code partition}, with the plan's {@code seed}.
 *
 * @param origin how the plan was made: {@code uniform}, {@code random}, {@code evolution}
 * @param round the successive-halving round (0 first)
 */
public record Trial(Plan plan, String origin, int round, int budget, long seed, int partition)
    implements Serializable {
  public Trial {
    if (budget < 0) {
      throw new IllegalArgumentException("finetune budget must be >= 0 images, found " + budget);
    }
  }

  /** The plan id and the budget: a result is keyed by it, so a re-run replaces, never duplicates. */
  public String id() {
    return plan.id() + "-b" + budget;
  }
}
