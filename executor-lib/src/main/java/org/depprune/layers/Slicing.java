package org.depprune.layers;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/** Keeps chosen positions of an array along one dimension. */
public final class Slicing {
  private Slicing() {}

  /**
   * A copy of {@code array} (any rank, order or view) with only the positions {@code keep} of
   * dimension {@code dim}, copying the surviving weights once from where they lie, with no
   * permuted copy of the whole array on the way (VGG-16's first dense layer holds 411 MB). The
   * copy keeps the array's memory order ('c' or 'f').
   *
   * <p>Seen in its memory order, the array is {@code [A, n, B]} around {@code dim}: each of the
   * {@code A} blocks keeps the same runs of {@code B} elements, copied in order from the array's
   * memory into the result's. (ND4J's gather, used here only for other data types, copies element
   * by element along an inner axis: 8 s for VGG-16's first dense layer.)
   */
  public static INDArray keep(INDArray array, int dim, int[] keep) {
    if (keep.length == array.size(dim) && isIdentity(keep)) {
      return array.dup(array.ordering());
    }
    for (int k : keep) {
      if (k < 0 || k >= array.size(dim)) {
        throw new IllegalArgumentException(
            "position " + k + " is out of range for dimension " + dim + " of an array of shape "
                + java.util.Arrays.toString(array.shape()));
      }
    }
    int rank = array.rank();
    boolean fortran = array.ordering() == 'f' && rank > 1;
    // An 'f' array is a 'c' array of the reversed shape: work on that view, reverse back at the end.
    INDArray c = fortran ? array.permute(reversed(rank)) : array;
    int d = fortran ? rank - 1 - dim : dim;
    long[] shape = c.shape().clone();
    shape[d] = keep.length;
    long outer = 1;
    for (int i = 0; i < d; i++) {
      outer *= c.size(i);
    }
    INDArray kept;
    if (keep.length == 0) {
      kept = Nd4j.create(array.dataType(), shape, 'c');
    } else if (!(c.dataType() == DataType.FLOAT || c.dataType() == DataType.DOUBLE)) {
      kept = Nd4j.exec(new Gather(c, Nd4j.createFromArray(keep), d))[0];
    } else {
      kept = runs(c, d, keep, outer, shape);
    }
    return fortran ? kept.permute(reversed(rank)) : kept;
  }

  /**
   * The runs of {@code B} elements that {@code keep} selects in each of {@code outer} blocks,
   * copied from the array's memory straight into the result's (both off the Java heap).
   */
  private static INDArray runs(INDArray c, int d, int[] keep, long outer, long[] shape) {
    long n = c.size(d);
    int run = Math.toIntExact(c.length() / outer / n);
    int block = Math.toIntExact(n * run);
    int kept = keep.length * run;
    // DL4J's parameters are row-major views of one vector: read them where they lie; anything
    // laid out otherwise is first copied row-major.
    boolean rowMajor = java.util.Arrays.equals(c.stride(), Nd4j.getStrides(c.shape(), 'c'));
    INDArray source = rowMajor ? c : c.dup('c');
    INDArray result = Nd4j.create(c.dataType(), shape, 'c');
    if (c.dataType() == DataType.DOUBLE) {
      DoubleBuffer from = doubles(source);
      DoubleBuffer to = doubles(result);
      for (int a = 0; a < outer; a++) {
        for (int j = 0; j < keep.length; j++) {
          to.put(a * kept + j * run, from, a * block + keep[j] * run, run);
        }
      }
      return result;
    }
    FloatBuffer from = floats(source);
    FloatBuffer to = floats(result);
    for (int a = 0; a < outer; a++) {
      int base = a * block;
      int at = a * kept;
      if (run == 1) {
        for (int j = 0; j < keep.length; j++) {
          to.put(at + j, from.get(base + keep[j]));
        }
      } else {
        for (int j = 0; j < keep.length; j++) {
          to.put(at + j * run, from, base + keep[j] * run, run);
        }
      }
    }
    return result;
  }

  /** The array's elements, from its first, as a buffer over its memory. */
  private static FloatBuffer floats(INDArray array) {
    FloatBuffer all = array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    return all.slice(Math.toIntExact(array.offset()), Math.toIntExact(array.length()));
  }

  private static DoubleBuffer doubles(INDArray array) {
    DoubleBuffer all = array.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    return all.slice(Math.toIntExact(array.offset()), Math.toIntExact(array.length()));
  }

  private static int[] reversed(int rank) {
    int[] order = new int[rank];
    for (int i = 0; i < rank; i++) {
      order[i] = rank - 1 - i;
    }
    return order;
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
