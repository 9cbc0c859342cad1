package org.depprune.graph;

import java.util.Arrays;
import java.util.List;

/**
 * A replayable record of what was pruned: for each step, a layer, a side and the positions
 * removed there. Applying the same pruning to the same base model gives the same network. JSON
 * through Jackson; {@link #FORMAT} is checked on read.
 *
 * @param format the record's format version
 * @param steps what to remove, in order (the positions of different steps may overlap: a channel
 *     is removed once)
 */
public record Pruning(int format, List<Step> steps) {
  /** The format version this code writes and reads. */
  public static final int FORMAT = 1;

  public Pruning {
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "pruning record format " + format + " is not supported (this DepPrune reads format "
              + FORMAT + ")");
    }
    steps = List.copyOf(steps);
  }

  /** A pruning of these steps in the current format. */
  public static Pruning of(List<Step> steps) {
    return new Pruning(FORMAT, steps);
  }

  /**
   * Remove positions {@code indices} of {@code layer}'s {@code side}, with everything coupled.
   */
  public record Step(String layer, Side side, int[] indices) {
    public Step {
      indices = indices.clone();
    }

    @Override
    public int[] indices() {
      return indices.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Step s
          && layer.equals(s.layer)
          && side == s.side
          && Arrays.equals(indices, s.indices);
    }

    @Override
    public int hashCode() {
      return (layer.hashCode() * 31 + side.hashCode()) * 31 + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
      return layer + "." + side + Arrays.toString(indices);
    }
  }
}
