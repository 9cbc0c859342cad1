package org.depprune.layers;

/**
 * Thrown by a pruner whose type is supported but whose configuration maps channels inexactly
 * (a reshape that mixes channels): the graph then blocks the node's channels with
 * {@link #getMessage() the reason} instead of failing, as it does for a refused type.
 */
public final class Unmappable extends RuntimeException {
  private final int outWidth;

  /** The node's output width is unknown: the consumer decides it. */
  public Unmappable(String reason) {
    this(reason, -1);
  }

  /** The node still outputs {@code outWidth} (blocked) channels. */
  public Unmappable(String reason, int outWidth) {
    super(reason);
    this.outWidth = outWidth;
  }

  /** The blocked output width, or -1 where the consumer decides it. */
  public int outWidth() {
    return outWidth;
  }
}
