package org.depprune.importance;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How a group's scores are scaled before they are compared with other groups' (global pruning
 * ranks channels across groups, so their scales must agree). Order within a group is unchanged.
 */
public enum Normalizer {
  /** Scores as they are. */
  NONE,
  /** Divided by their mean. */
  MEAN,
  /** Divided by their maximum. */
  MAX,
  /** Divided by their sum. */
  SUM,
  /** Minus their mean, divided by their standard deviation. */
  STANDARDIZE,
  /**
   * LAMP (Lee et al., "Layer-adaptive Sparsity for the Magnitude-based Pruning", ICLR 2021):
   * {@code s_i / sum of s_j over every j with s_j >= s_i}, so the largest score becomes 1.
   */
  LAMP;

  private static final double EPS = 1e-12;

  public double[] normalize(double[] scores) {
    double[] out = scores.clone();
    switch (this) {
      case NONE -> {}
      case MEAN -> scale(out, Arrays.stream(scores).average().orElse(1));
      case MAX -> scale(out, Arrays.stream(scores).max().orElse(1));
      case SUM -> scale(out, Arrays.stream(scores).sum());
      case STANDARDIZE -> {
        double mean = Arrays.stream(scores).average().orElse(0);
        double variance = Arrays.stream(scores).map(s -> (s - mean) * (s - mean)).average().orElse(0);
        double std = Math.sqrt(variance) + EPS;
        for (int i = 0; i < out.length; i++) {
          out[i] = (scores[i] - mean) / std;
        }
      }
      case LAMP -> {
        Integer[] ascending = IntStream.range(0, scores.length).boxed()
            .sorted(Comparator.comparingDouble(i -> scores[i])).toArray(Integer[]::new);
        double tail = 0;
        for (int k = ascending.length - 1; k >= 0; k--) {
          tail += scores[ascending[k]];
          out[ascending[k]] = scores[ascending[k]] / (tail + EPS);
        }
      }
    }
    return out;
  }

  private static void scale(double[] values, double by) {
    double divisor = Math.abs(by) < EPS ? 1 : by;
    for (int i = 0; i < values.length; i++) {
      values[i] /= divisor;
    }
  }
}
