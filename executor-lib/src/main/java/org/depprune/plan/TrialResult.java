package org.depprune.plan;

import java.io.Serializable;

/**
 * What a trial returns: its metrics, or the error that stopped it. Small by design: the driver
 * collects one per trial.
 *
 * @param metrics null when the trial failed
 * @param error null when the trial succeeded: the exception's class and message
 */
public record TrialResult(Trial trial, Metrics metrics, String error, Timings timings) implements Serializable {

  public boolean ok() {
    return error == null;
  }

  /**
   * @param accuracy validation accuracy after the finetune
   * @param macsShare MACs over the base model's
   * @param latencyMillis median forward time of one batch (see {@link TrialSettings#latencyBatchSize()})
   */
  public record Metrics(double accuracy, long macs, double macsShare, long params, double latencyMillis)
      implements Serializable {}

  /** Seconds spent in each phase of the trial. */
  public record Timings(double prune, double finetune, double evaluate, double total) implements Serializable {}
}
