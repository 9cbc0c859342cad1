package org.depprune.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A learning rate over the steps of one finetune, for DL4J's updaters: {@code rate} times the
 * {@link FinetuneRecipe.LrSchedule}'s share at step {@code iteration - first} of {@code steps}.
 * DL4J's own schedules count from iteration 0 of a network's life; a finetune starts wherever the
 * network's iteration counter stands. Serialisable as DL4J's configuration JSON requires (its
 * {@code @class} property and constructor properties), though {@link FinetuneRecipe.Session}
 * restores the layers' own schedules when the finetune ends.
 */
public final class StepsSchedule implements ISchedule {
  private static final long serialVersionUID = 1L;

  private final double rate;
  private final FinetuneRecipe.LrSchedule shape;
  private final long first;
  private final long steps;

  public StepsSchedule(@JsonProperty("rate") double rate, @JsonProperty("shape") FinetuneRecipe.LrSchedule shape,
      @JsonProperty("first") long first, @JsonProperty("steps") long steps) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("a learning rate must be >= 0 and finite, found " + rate);
    }
    this.rate = rate;
    this.shape = shape;
    this.first = first;
    this.steps = steps;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    return rate * shape.factor(iteration - first, steps);
  }

  @Override
  public ISchedule clone() {
    return new StepsSchedule(rate, shape, first, steps);
  }

  public double getRate() {
    return rate;
  }

  public FinetuneRecipe.LrSchedule getShape() {
    return shape;
  }

  public long getFirst() {
    return first;
  }

  public long getSteps() {
    return steps;
  }
}
