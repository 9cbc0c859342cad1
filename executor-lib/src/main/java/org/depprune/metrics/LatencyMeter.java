package org.depprune.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

  /** The settling warm-up checks whether the time has settled every this many passes. */
  public static final int SETTLE_WINDOW = 20;
  /**
   * The time has settled when the median of the warm-up's second half is within this share of
   * the median of the quarter before it.
   */
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
   * <p>The warm-up runs at least {@code minWarmup} passes and a quarter of {@code budget} (so a
   * few slow passes that happen to agree cannot end it before the JIT has warmed up), and every
   * {@link #SETTLE_WINDOW} passes compares the median of its second half with the median of the quarter before that: it
   * ends when they agree within {@link #SETTLE_TOLERANCE}, or when half of {@code budget} is
   * spent. Windows that grow with the warm-up catch a slow drift that two neighbouring windows of
   * fixed size miss (a small model's time per pass fell by 30% over 300 passes after two windows
   * of 20 had agreed within 3%). Timed passes follow until {@code maxRuns} are done or the budget
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
    List<Double> warmup = new ArrayList<>();
    boolean settled = false;
    while (!settled && System.nanoTime() - start < budgetNanos / 2) {
      double millis = time(network, input);
      warmup.add(millis);
      progress.pass(-warmup.size(), millis);
      int n = warmup.size();
      boolean longEnough = System.nanoTime() - start >= budgetNanos / 4;
      if (n >= minWarmup && longEnough && n % SETTLE_WINDOW == 0 && n >= 2 * SETTLE_WINDOW) {
        settled = settledAfter(warmup);
      }
    }
    int warm = warmup.size();
    return timed(network, input, maxRuns, () -> System.nanoTime() - start >= budgetNanos, warm, settled, progress);
  }

  /**
   * The settling rule on the warm-up's pass times so far: the median of the second half within
   * {@link #SETTLE_TOLERANCE} of the median of the quarter before it.
   */
  static boolean settledAfter(List<Double> warmup) {
    int n = warmup.size();
    double recent = median(warmup.subList(n / 2, n));
    double before = median(warmup.subList(n / 4, n / 2));
    return Math.abs(recent - before) <= SETTLE_TOLERANCE * before;
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

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
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
