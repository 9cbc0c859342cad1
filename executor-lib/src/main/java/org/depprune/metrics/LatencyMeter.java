package org.depprune.metrics;

import java.time.Duration;
import java.util.Arrays;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference latency: warm-up passes, then the median of timed forward passes. {@link #measureAlone}
 * measures with the rest of DepPrune's compute in this JVM paused (see {@link ComputeLock}), as a
 * search's concurrent trials need; {@link #measure} times whatever else runs, for a JVM known to
 * be quiet (the {@code stats} command).
 */
public final class LatencyMeter {
  private LatencyMeter() {}

  /**
   * Latency of a forward pass.
   *
   * @param medianMillis the median over the timed passes
   * @param batchSize examples per pass
   * @param runs timed passes
   */
  public record Latency(double medianMillis, double minMillis, int batchSize, int runs) {
    /** Milliseconds per example. */
    public double perExampleMillis() {
      return medianMillis / batchSize;
    }
  }

  /** Times {@code runs} inference passes of {@code input} after {@code warmup} untimed ones. */
  public static Latency measure(Model net, INDArray input, int warmup, int runs) {
    return measure(net, input, warmup, runs, Duration.ofDays(365), (pass, millis) -> {});
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

  /** Told after every pass: its number (negative while warming up: -warmup ... -1) and its time. */
  @FunctionalInterface
  public interface Progress {
    void pass(int pass, double millis);
  }

  /**
   * Times inference passes of {@code input} within a time budget, as JMH bounds an iteration by
   * time: up to {@code warmup} untimed passes while under half the budget, then timed passes until
   * {@code maxRuns} are done or the budget is spent (at least one timed pass, so a model slower
   * than its budget still gets a number). {@code progress} hears of every pass.
   */
  public static Latency measure(Model net, INDArray input, int warmup, int maxRuns, Duration budget, Progress progress) {
    requireValid(warmup, maxRuns);
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the latency budget must be positive, found " + budget);
    }
    Network network = Network.of(net);
    long start = System.nanoTime();
    long budgetNanos = budget.toNanos();
    for (int i = 0; i < warmup && System.nanoTime() - start < budgetNanos / 2; i++) {
      progress.pass(i - warmup, time(network, input));
    }
    double[] millis = new double[maxRuns];
    int runs = 0;
    while (runs < maxRuns && (runs == 0 || System.nanoTime() - start < budgetNanos)) {
      millis[runs] = time(network, input);
      progress.pass(runs, millis[runs]);
      runs++;
    }
    double[] timed = Arrays.copyOf(millis, runs);
    Arrays.sort(timed);
    return new Latency(timed[runs / 2], timed[0], (int) input.size(0), runs);
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
