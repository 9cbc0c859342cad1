package org.depprune.driver.results;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The base model measured like every trial (the same validation images, MACs, latency): the
 * reference point of the front. Its test accuracy is scored once, at the end, with the front's.
 *
 * @param validationExamples how many validation examples {@code accuracy} counts (0: not known)
 * @param testAccuracy null until scored, and without a test set
 * @param testExamples how many test examples {@code testAccuracy} counts
 */
public record BaseMetrics(double accuracy, long validationExamples, long macs, long params, double latencyMillis,
    Double testAccuracy, long testExamples) {

  /** The base model before its test accuracy is known, on an unknown number of validation examples. */
  public BaseMetrics(double accuracy, long macs, long params, double latencyMillis) {
    this(accuracy, 0, macs, params, latencyMillis, null, 0);
  }

  /** The binomial standard error of {@link #accuracy}. */
  @JsonProperty("accuracyError")
  public double accuracyError() {
    return Binomial.standardError(accuracy, validationExamples);
  }

  /** The binomial standard error of {@link #testAccuracy}; NaN when there is none. */
  @JsonProperty("testAccuracyError")
  public double testAccuracyError() {
    return testAccuracy == null ? Double.NaN : Binomial.standardError(testAccuracy, testExamples);
  }

  /** These metrics with the test accuracy on {@code examples} examples. */
  public BaseMetrics withTest(Double accuracyOnTest, long examples) {
    return new BaseMetrics(accuracy, validationExamples, macs, params, latencyMillis, accuracyOnTest, examples);
  }
}
