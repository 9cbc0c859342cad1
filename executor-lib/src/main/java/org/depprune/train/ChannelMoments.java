package org.depprune.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-channel mean and population variance of activations added batch by batch, pooled exactly
 * over all of them: the result equals the statistics of all batches stacked into one array.
 * Each batch's moments are computed in double and merged by Chan, Golub and LeVeque's pairwise
 * update ("Updating formulae and a pairwise algorithm for computing sample variances", 1979):
 *
 * <pre>{@code
 * d = mean_b - mean;  n' = n + n_b;  mean += d * n_b / n';  M2 += M2_b + d^2 * n * n_b / n'
 * }</pre>
 *
 * where {@code M2} is the sum of squared deviations ({@code variance = M2 / n}). Unlike summing
 * {@code x} and {@code x^2}, it loses no precision when the mean is large against the spread.
 */
final class ChannelMoments {
  private final double[] mean;
  private final double[] m2;
  private long count;

  ChannelMoments(int channels) {
    mean = new double[channels];
    m2 = new double[channels];
  }

  /**
   * Adds every value of {@code x} to its channel, the index along {@code channelAxis}; all other
   * axes (examples, and height and width for images) are pooled.
   */
  void add(INDArray x, int channelAxis) {
    if (x.size(channelAxis) != mean.length) {
      throw new IllegalArgumentException("expected " + mean.length + " channels along axis " + channelAxis
          + ", found shape " + java.util.Arrays.toString(x.shape()));
    }
    int[] pooled = new int[x.rank() - 1];
    for (int axis = 0, k = 0; axis < x.rank(); axis++) {
      if (axis != channelAxis) {
        pooled[k++] = axis;
      }
    }
    long n = x.length() / mean.length;
    if (n == 0) {
      return;
    }
    INDArray values = x.castTo(DataType.DOUBLE);
    double[] batchMean = values.mean(pooled).toDoubleVector();
    double[] batchVar = values.var(false, pooled).toDoubleVector();
    long total = count + n;
    for (int c = 0; c < mean.length; c++) {
      double d = batchMean[c] - mean[c];
      mean[c] += d * n / total;
      m2[c] += batchVar[c] * n + d * d * ((double) count * n / total);
    }
    count = total;
  }

  /** The number of values pooled per channel. */
  long count() {
    return count;
  }

  /** The mean of each channel. */
  double[] mean() {
    return mean.clone();
  }

  /** The population variance of each channel: the mean squared deviation, divided by n, not n - 1. */
  double[] variance() {
    double[] var = new double[m2.length];
    for (int c = 0; c < var.length; c++) {
      var[c] = count == 0 ? 0 : m2[c] / count;
    }
    return var;
  }
}
