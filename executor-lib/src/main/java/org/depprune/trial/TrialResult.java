package org.depprune.trial;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a trial returns: its metrics, or the failure that stopped it. Small by design: the driver
 * collects one per trial.
 *
 * @param metrics null when the trial failed
 * @param failure null when the trial succeeded
 */
public record TrialResult(Trial trial, Metrics metrics, Failure failure, Timings timings) implements Serializable {
  public TrialResult {
    if ((metrics == null) == (failure == null)) {
      throw new IllegalArgumentException("a trial result has either metrics or a failure, not both or neither");
    }
  }

  public boolean ok() {
    return failure == null;
  }

  /**
   * @param accuracy validation accuracy after the finetune
   * @param macsShare MACs over the base model's
   * @param latencyMillis median forward time of one batch (see {@link TrialSettings#latencyBatchSize()})
   * @param latencyAlone whether the latency was measured while no other trial computed in the
   *     same JVM ({@link org.depprune.metrics.LatencyMeter#measureAlone})
   * @param validationExamples how many validation examples the accuracy counts; 0 when not known
   *     (rows written before it was recorded)
   */
  public record Metrics(double accuracy, long macs, double macsShare, long params, double latencyMillis,
      boolean latencyAlone, long validationExamples) implements Serializable {
    /** Metrics whose latency was not measured alone (or is not known to have been), on an unknown count. */
    public Metrics(double accuracy, long macs, double macsShare, long params, double latencyMillis) {
      this(accuracy, macs, macsShare, params, latencyMillis, false, 0);
    }

    /** These metrics with another accuracy, on {@code examples} examples (scored elsewhere). */
    public Metrics withAccuracy(double newAccuracy, long examples) {
      return new Metrics(newAccuracy, macs, macsShare, params, latencyMillis, latencyAlone, examples);
    }
  }

  /** Seconds spent in each phase of the trial. */
  public record Timings(double prune, double finetune, double evaluate, double total) implements Serializable {}

  /**
   * Why a trial failed.
   *
   * @param message the exception's class and message, e.g. {@code IllegalArgumentException: ...}
   * @param trace the whole stack trace, causes included, as {@code printStackTrace} writes it
   */
  public record Failure(String message, String trace) implements Serializable {
    /** The failure {@code e} describes. */
    public static Failure of(Throwable e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      return new Failure(e.getClass().getSimpleName() + ": " + e.getMessage(), trace.toString());
    }

    /** A failure with {@code message} and no trace (an error found before any code ran). */
    public static Failure of(String message) {
      return new Failure(message, "");
    }

    /** This failure with only the first {@code lines} lines of its trace: what a result row keeps. */
    public Failure firstLines(int lines) {
      return new Failure(message, Arrays.stream(trace.split("\\R")).limit(lines).collect(Collectors.joining("\n")));
    }
  }
}
