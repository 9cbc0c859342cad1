package org.depprune.driver.results;

import java.util.List;

/**
 * What a final finetune reached for one MACs budget: the plan it continued, the validation loss
 * per epoch, its accuracy against the base model's on the test set, and where its model is.
 * Written to {@code final/<plan>.json} and {@code summary.json}.
 *
 * @param valLoss validation loss before the finetune, then after each epoch
 * @param searchTestAccuracy the plan's test accuracy after its search finetune, or null
 */
public record FinalModel(
    String planId,
    String criterion,
    double macsBudget,
    double macsShare,
    long macs,
    long params,
    double searchValAccuracy,
    Double searchTestAccuracy,
    List<Double> valLoss,
    double valAccuracy,
    Double testAccuracy,
    Double baseTestAccuracy,
    int trainImages,
    int workers,
    double seconds,
    String model) {
  public FinalModel {
    valLoss = List.copyOf(valLoss);
  }

  /** Epochs trained. */
  public int epochs() {
    return valLoss.size() - 1;
  }
}
