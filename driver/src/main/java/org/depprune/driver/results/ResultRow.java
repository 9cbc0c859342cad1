package org.depprune.driver.results;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.Objects;
import org.depprune.trial.Plan;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialResult;

/**
 * One row of the results table: a trial (its plan, origin, round, budget, seed and partition),
 * its metrics or its failure, its timings, where it ran, the search's provenance, and whether it
 * is on the final front (with its test accuracy). {@link ResultColumns} maps it to the columns of
 * the JSON lines, the CSV and the Parquet table; Jackson writes a row as those columns.
 *
 * @param metrics null when the trial failed
 * @param failure null when the trial succeeded; its trace holds the first {@value #TRACE_LINES}
 *     lines (the driver log and {@code trials/<trial>.error.txt} hold the whole trace)
 * @param testAccuracy null until the row's model is scored on the test set (front rows only)
 * @param testExamples how many test examples {@code testAccuracy} counts (0: not scored, or not known)
 */
public record ResultRow(
    Trial trial,
    TrialResult.Metrics metrics,
    TrialResult.Failure failure,
    TrialResult.Timings timings,
    Execution execution,
    SearchProvenance provenance,
    boolean pareto,
    Double testAccuracy,
    long testExamples) {

  /** Lines of a failure's stack trace that a row keeps. */
  public static final int TRACE_LINES = 12;

  public ResultRow {
    Objects.requireNonNull(trial, "trial");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(provenance, "provenance");
    if ((metrics == null) == (failure == null)) {
      throw new IllegalArgumentException("row " + trial.id() + " needs either metrics or a failure");
    }
  }

  /** A row whose test accuracy counts an unknown number of examples. */
  public ResultRow(Trial trial, TrialResult.Metrics metrics, TrialResult.Failure failure, TrialResult.Timings timings,
      Execution execution, SearchProvenance provenance, boolean pareto, Double testAccuracy) {
    this(trial, metrics, failure, timings, execution, provenance, pareto, testAccuracy, 0);
  }

  /** The row of a finished trial, not (yet) on the front. */
  public static ResultRow of(TrialResult result, Execution execution, SearchProvenance provenance) {
    TrialResult.Failure failure = result.failure() == null ? null : result.failure().firstLines(TRACE_LINES);
    return new ResultRow(result.trial(), result.metrics(), failure, result.timings(), execution, provenance, false, null);
  }

  public String trialId() {
    return trial.id();
  }

  public String planId() {
    return trial.plan().id();
  }

  public Plan plan() {
    return trial.plan();
  }

  public String origin() {
    return trial.origin();
  }

  public int round() {
    return trial.round();
  }

  public int budget() {
    return trial.budget();
  }

  public long seed() {
    return trial.seed();
  }

  public boolean ok() {
    return failure == null;
  }

  /** The failure's message, or null. */
  public String error() {
    return failure == null ? null : failure.message();
  }

  public String configHash() {
    return provenance.configHash();
  }

  /** Validation accuracy; only for rows that are {@link #ok()}. */
  public double accuracy() {
    return requireMetrics().accuracy();
  }

  /** How many validation examples {@link #accuracy()} counts; 0 when not known. */
  public long validationExamples() {
    return requireMetrics().validationExamples();
  }

  /** The binomial standard error of {@link #accuracy()}; NaN when its examples are not known. */
  public double accuracyError() {
    return Binomial.standardError(accuracy(), validationExamples());
  }

  /** MACs over the base model's; only for rows that are {@link #ok()}. */
  public double macsShare() {
    return requireMetrics().macsShare();
  }

  public long params() {
    return requireMetrics().params();
  }

  public double latencyMillis() {
    return requireMetrics().latencyMillis();
  }

  /** The mean of the plan's per-layer ratios. */
  public double meanRatio() {
    return plan().ratios().values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  /** This row's objectives: (validation accuracy, MACs share). */
  public Pareto.Point point() {
    return new Pareto.Point(accuracy(), macsShare());
  }

  /** This row marked on (or off) the final front, with its test accuracy (null: not measured). */
  public ResultRow withFront(boolean onFront, Double test) {
    return new ResultRow(trial, metrics, failure, timings, execution, provenance, onFront, test, testExamples);
  }

  /** This row marked on (or off) the final front, with its test accuracy on {@code examples} examples. */
  public ResultRow withFront(boolean onFront, Double test, long examples) {
    return new ResultRow(trial, metrics, failure, timings, execution, provenance, onFront, test, examples);
  }

  /** The binomial standard error of {@link #testAccuracy()}; NaN when not scored or its examples are not known. */
  public double testAccuracyError() {
    return testAccuracy == null ? Double.NaN : Binomial.standardError(testAccuracy, testExamples);
  }

  /** The row's columns, in {@link ResultColumns}' order: how Jackson writes it. */
  @JsonValue
  public Map<String, Object> columns() {
    return ResultColumns.of(this);
  }

  private TrialResult.Metrics requireMetrics() {
    if (metrics == null) {
      throw new IllegalStateException("trial " + trialId() + " failed (" + failure.message() + "): it has no metrics");
    }
    return metrics;
  }
}
