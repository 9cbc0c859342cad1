package org.depprune.importance;

/**
 * How a group criterion combines the scores its members give a channel (the producer's filter,
 * the batch norm, each consumer's input weights) into one score per channel.
 */
public enum Reduction {
  /** The members' mean. */
  MEAN,
  /** The members' sum. */
  SUM,
  /** The largest member score. */
  MAX,
  /** The members' product. */
  PRODUCT,
  /** The first member's score: the root layer's, as single-layer criteria do. */
  FIRST;

  /** One score per channel from {@code rows[member][channel]} (at least one row). */
  public double[] reduce(double[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no member of the group has parameters to score");
    }
    double[] out = rows[0].clone();
    if (this == FIRST) {
      return out;
    }
    for (int m = 1; m < rows.length; m++) {
      for (int c = 0; c < out.length; c++) {
        out[c] = switch (this) {
          case MEAN, SUM -> out[c] + rows[m][c];
          case MAX -> Math.max(out[c], rows[m][c]);
          case PRODUCT -> out[c] * rows[m][c];
          case FIRST -> out[c];
        };
      }
    }
    if (this == MEAN) {
      for (int c = 0; c < out.length; c++) {
        out[c] /= rows.length;
      }
    }
    return out;
  }
}
