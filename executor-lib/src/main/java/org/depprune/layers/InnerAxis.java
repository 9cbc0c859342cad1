package org.depprune.layers;

/**
 * Where a node's INNER channels lie in one parameter: along {@code axis} of the parameter seen,
 * in row-major order, with shape {@code view} (for example an attention layer's output projection
 * {@code [nHeads * headSize, nOut]} seen as {@code [nHeads, headSize, nOut]}, axis 0 for heads).
 *
 * @param axis the axis of the view indexed by INNER channels
 * @param view the shape to see the parameter as, or {@code null} for its own shape
 */
public record InnerAxis(int axis, long[] view) {
  /** Along {@code axis} of the parameter's own shape. */
  public static InnerAxis of(int axis) {
    return new InnerAxis(axis, null);
  }

  /** Along {@code axis} of the parameter seen with shape {@code view}. */
  public static InnerAxis viewed(int axis, long... view) {
    return new InnerAxis(axis, view.clone());
  }
}
