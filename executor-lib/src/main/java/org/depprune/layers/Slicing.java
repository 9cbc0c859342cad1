package org.depprune.layers;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/** Keeps chosen positions of an array along one dimension. */
public final class Slicing {
  private Slicing() {}

  /**
   * A copy of {@code array} (any rank, order or view) with only the positions {@code keep} of
   * dimension {@code dim}, in C order. One native gather along {@code dim}: the surviving
   * weights are copied once, straight from where they lie, with no permuted copy of the whole
   * array on the way (VGG-16's first dense layer holds 411 MB).
   */
  public static INDArray keep(INDArray array, int dim, int[] keep) {
    if (keep.length == array.size(dim) && isIdentity(keep)) {
      return array.dup('c');
    }
    for (int k : keep) {
      if (k < 0 || k >= array.size(dim)) {
        throw new IllegalArgumentException(
            "position " + k + " is out of range for dimension " + dim + " of an array of shape "
                + java.util.Arrays.toString(array.shape()));
      }
    }
    if (keep.length == 0) {
      long[] shape = array.shape().clone();
      shape[dim] = 0;
      return Nd4j.create(array.dataType(), shape, 'c');
    }
    return Nd4j.exec(new Gather(array, Nd4j.createFromArray(keep), dim))[0];
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
