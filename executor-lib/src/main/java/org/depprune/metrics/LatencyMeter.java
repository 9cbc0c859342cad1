package org.depprune.metrics;

import java.util.Arrays;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Inference latency: warm-up passes, then the median of timed forward passes. */
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
    if (warmup < 0 || runs <= 0) {
      throw new IllegalArgumentException(
          "warm-up must be >= 0 and runs > 0, found " + warmup + " and " + runs);
    }
    Network network = Network.of(net);
    double[] millis = new double[runs];
    for (int i = -warmup; i < runs; i++) {
      long start = System.nanoTime();
      network.output(input);
      if (i >= 0) {
        millis[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(millis);
    return new Latency(millis[runs / 2], millis[0], (int) input.size(0), runs);
  }
}
