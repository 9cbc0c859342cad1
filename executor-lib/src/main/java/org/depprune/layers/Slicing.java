package org.depprune.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Keeps chosen positions of an array along one dimension. */
public final class Slicing {
  private Slicing() {}

  /**
   * A copy of {@code array} with only the positions {@code keep} of dimension {@code dim}: the
   * dimension is moved to the front, the rows are pulled, and the dimension is moved back.
   */
  public static INDArray keep(INDArray array, int dim, int[] keep) {
    if (keep.length == array.size(dim) && isIdentity(keep)) {
      return array.dup('c');
    }
    int rank = array.rank();
    int[] order = new int[rank];
    int[] inverse = new int[rank];
    order[0] = dim;
    for (int d = 0, k = 1; d < rank; d++) {
      if (d != dim) {
        order[k++] = d;
      }
    }
    for (int d = 0; d < rank; d++) {
      inverse[order[d]] = d;
    }
    INDArray moved = array.permute(order).dup('c');
    long rest = moved.length() / moved.size(0);
    INDArray rows = Nd4j.pullRows(moved.reshape('c', moved.size(0), rest), 1, keep);
    long[] shape = moved.shape().clone();
    shape[0] = keep.length;
    return rows.reshape('c', shape).permute(inverse).dup('c');
  }

  /** Keeps {@code keep} of the last dimension: DL4J's {@code [1, n]} (or {@code [n]}) vectors. */
  public static INDArray keepLast(INDArray vector, int[] keep) {
    return keep(vector, vector.rank() - 1, keep);
  }

  /**
   * Keeps {@code keep} in each of {@code blocks} equal consecutive blocks of dimension {@code dim}:
   * the gates of a recurrent layer, stored side by side.
   */
  public static INDArray keepPerBlock(INDArray array, int dim, int blocks, int[] keep) {
    long blockSize = array.size(dim) / blocks;
    int[] all = new int[keep.length * blocks];
    for (int b = 0; b < blocks; b++) {
      for (int k = 0; k < keep.length; k++) {
        all[b * keep.length + k] = (int) (b * blockSize + keep[k]);
      }
    }
    return keep(array, dim, all);
  }

  private static boolean isIdentity(int[] keep) {
    for (int i = 0; i < keep.length; i++) {
      if (keep[i] != i) {
        return false;
      }
    }
    return true;
  }
}
