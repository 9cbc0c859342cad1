package org.depprune.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference latency: warm-up passes, then the median of timed forward passes. {@link #measureAlone}
 * measures with the rest of DepPrune's compute in this JVM paused (see {@link ComputeLock}), as a
 * search's concurrent trials need (their JVM is already warm from finetuning); the budgeted
 * {@link #measure(Model, INDArray, int, int, Duration, Progress)} warms up until the time per pass
 * settles, for a fresh JVM known to be quiet (the {@code stats} command).
 */
public final class LatencyMeter {
  private LatencyMeter() {}

  /**
   * Latency of a forward pass.
   *
   * @param medianMillis the median over the timed passes
   * @param minMillis the fastest timed pass
   * @param p90Millis the 90th percentile of the timed passes (nearest rank)
   * @param batchSize examples per pass
   * @param runs timed passes
   * @param warmupPasses untimed passes before them
   * @param settled whether the warm-up ended because the pass time had settled (always true for a
   *     fixed warm-up count; false when a settling warm-up ran out of its half of the budget)
   */
  public record Latency(
      double medianMillis, double minMillis, double p90Millis, int batchSize, int runs, int warmupPasses,
      boolean settled) {
    /** Milliseconds per example. */
    public double perExampleMillis() {
      return medianMillis / batchSize;
    }
  }

  /** Passes per warm-up window: the settling warm-up compares the medians of consecutive windows. */
  public static final int SETTLE_WINDOW = 20;
  /** Two consecutive windows whose medians differ by at most this share mean the time has settled. */
  public static final double SETTLE_TOLERANCE = 0.03;

  /** Times {@code runs} inference passes of {@code input} after exactly {@code warmup} untimed ones. */
  public static Latency measure(Model net, INDArray input, int warmup, int runs) {
    return fixed(net, input, warmup, runs);
  }

  /**
   * Like {@link #measure(Model, INDArray, int, int)}, but holds {@link ComputeLock}'s exclusive side
   * for the warm-up and timed passes: the minibatches and evaluation batches other threads have in
   * flight finish first, and none starts until the last timed pass is done. The result also says
   * how long the measurement waited for them and how many were seen running during it (0).
   *
   * @throws IllegalStateException if called from inside {@link ComputeLock#shared} (a training
   *     listener, say): it would wait for itself
   */
  public static ComputeLock.Exclusive<Latency> measureAlone(Model net, INDArray input, int warmup, int runs) {
    requireValid(warmup, runs);
    return ComputeLock.exclusive(() -> measure(net, input, warmup, runs));
  }

  /**
   * Told after every pass: its number (warm-up passes count down from -1: -1, -2, ...; timed ones
   * up from 0) and its time.
   */
  @FunctionalInterface
  public interface Progress {
    void pass(int pass, double millis);
  }

  /**
   * Times inference passes of {@code input} the way a long-running service sees them: warm-up
   * passes until the time per pass has settled, then timed passes. A fresh JVM's first passes are
   * slower for a hundred passes or more (JIT compilation of DL4J's and ND4J's Java side, workspace
   * sizing; BENCHMARKS.md, "Why stats and the benchmark disagreed"), so a fixed handful of
   * warm-up passes times the JVM's start, not the model.
   *
   * <p>The warm-up runs at least {@code minWarmup} passes, then windows of {@link #SETTLE_WINDOW}
   * passes until one window's median is within {@link #SETTLE_TOLERANCE} of the one before, all
   * within half of {@code budget}. Timed passes follow until {@code maxRuns} are done or the budget
   * is spent (at least one, so a model slower than its budget still gets a number), as JMH bounds
   * an iteration by time. {@code progress} hears of every pass.
   */
  public static Latency measure(
      Model net, INDArray input, int minWarmup, int maxRuns, Duration budget, Progress progress) {
    requireValid(minWarmup, maxRuns);
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the latency budget must be positive, found " + budget);
    }
    Network network = Network.of(net);
    long start = System.nanoTime();
    long budgetNanos = budget.toNanos();
    double[] window = new double[SETTLE_WINDOW];
    double previousMedian = Double.NaN;
    boolean settled = false;
    int warm = 0;
    while (!settled && System.nanoTime() - start < budgetNanos / 2) {
      double millis = time(network, input);
      window[warm % SETTLE_WINDOW] = millis;
      warm++;
      progress.pass(-warm, millis);
      if (warm % SETTLE_WINDOW == 0) {
        double median = median(window, SETTLE_WINDOW);
        settled = warm >= minWarmup && Math.abs(median - previousMedian) <= SETTLE_TOLERANCE * previousMedian;
        previousMedian = median;
      }
    }
    return timed(network, input, maxRuns, () -> System.nanoTime() - start >= budgetNanos, warm, settled, progress);
  }

  private static Latency fixed(Model net, INDArray input, int warmup, int runs) {
    requireValid(warmup, runs);
    Network network = Network.of(net);
    for (int i = 0; i < warmup; i++) {
      time(network, input);
    }
    return timed(network, input, runs, () -> false, warmup, true, (pass, millis) -> {});
  }

  private static Latency timed(Network network, INDArray input, int maxRuns, BooleanSupplier over,
      int warmupPasses, boolean settled, Progress progress) {
    double[] millis = new double[maxRuns];
    int runs = 0;
    while (runs < maxRuns && (runs == 0 || !over.getAsBoolean())) {
      millis[runs] = time(network, input);
      progress.pass(runs, millis[runs]);
      runs++;
    }
    double[] timed = Arrays.copyOf(millis, runs);
    Arrays.sort(timed);
    int p90 = Math.min(runs - 1, (int) Math.ceil(0.9 * runs) - 1);
    return new Latency(timed[runs / 2], timed[0], timed[p90], (int) input.size(0), runs, warmupPasses, settled);
  }

  private static double median(double[] values, int n) {
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return sorted[n / 2];
  }

  private static void requireValid(int warmup, int runs) {
    if (warmup < 0 || runs <= 0) {
      throw new IllegalArgumentException(
          "warm-up must be >= 0 and runs > 0, found " + warmup + " and " + runs);
    }
  }

  private static double time(Network network, INDArray input) {
    long start = System.nanoTime();
    network.output(input);
    return (System.nanoTime() - start) / 1e6;
  }
}
