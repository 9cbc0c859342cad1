package org.depprune.layers;

/**
 * What one node costs in one example's forward pass.
 *
 * @param macs multiply-accumulates of weighted work (convolutions, dense and recurrent layers)
 * @param otherOps element-wise work counted apart: batch norm, pooling, element-wise vertices
 */
public record Cost(long macs, long otherOps) {
  /** Nothing: a reshape, a concat, an activation. */
  public static final Cost NONE = new Cost(0, 0);

  public Cost {
    if (macs < 0 || otherOps < 0) {
      throw new IllegalArgumentException("a cost cannot be negative, found " + macs + " MACs and " + otherOps + " other ops");
    }
  }

  /** {@code n} multiply-accumulates. */
  public static Cost macs(long n) {
    return new Cost(n, 0);
  }

  /** {@code n} element-wise operations. */
  public static Cost other(long n) {
    return new Cost(0, n);
  }
}
