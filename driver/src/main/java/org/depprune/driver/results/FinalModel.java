package org.depprune.driver.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a final finetune reached for one MACs budget: the plan it continued (the search's choice, or
 * the budget's best uniform plan), the validation loss per epoch, its accuracy against the base
 * model's on the test set, and where its model is. Written to {@code final/<plan>.json} and
 * {@code summary.json}.
 *
 * @param role {@link #SEARCH} (the front's most accurate plan in the budget) or {@link #UNIFORM}
 *     (the budget's best uniform plan of the last round, finetuned the same way for comparison)
 * @param valLoss validation loss before the finetune, then after each epoch
 * @param searchTestAccuracy the plan's test accuracy after its search finetune, or null
 * @param testAccuracy null without a test set
 */
public record FinalModel(
    String planId,
    String criterion,
    String role,
    String origin,
    double macsBudget,
    double macsShare,
    long macs,
    long params,
    double searchValAccuracy,
    Double searchTestAccuracy,
    List<Double> valLoss,
    double valAccuracy,
    long valExamples,
    Double testAccuracy,
    long testExamples,
    Double baseTestAccuracy,
    int trainImages,
    int workers,
    double seconds,
    String model) {
  /** The role of the search's choice for a budget. */
  public static final String SEARCH = "search";
  /** The role of a budget's best uniform plan, finetuned the same way. */
  public static final String UNIFORM = "uniform";

  public FinalModel {
    valLoss = List.copyOf(valLoss);
  }

  /** Epochs trained. */
  public int epochs() {
    return Math.max(0, valLoss.size() - 1);
  }

  @JsonProperty("valAccuracyError")
  public double valAccuracyError() {
    return Binomial.standardError(valAccuracy, valExamples);
  }

  @JsonProperty("testAccuracyError")
  public double testAccuracyError() {
    return testAccuracy == null ? Double.NaN : Binomial.standardError(testAccuracy, testExamples);
  }
}
