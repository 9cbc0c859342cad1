package org.depprune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Slicing against position-by-position reads, on every rank, dimension and memory order. */
class SlicingTest {

  @Test
  void keepsExactlyTheChosenPositionsOfEveryDimension() {
    long[][] shapes = {{7}, {5, 6}, {4, 5, 3}, {3, 4, 2, 5}, {2, 3, 4, 2, 3}};
    for (long[] shape : shapes) {
      for (char order : new char[] {'c', 'f'}) {
        INDArray array = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(5), shape).castTo(DataType.FLOAT);
        array = array.dup(order);
        for (int dim = 0; dim < shape.length; dim++) {
          int n = (int) shape[dim];
          int[] keep = n > 2 ? new int[] {n - 1, 0, 2}.clone() : new int[] {1};
          java.util.Arrays.sort(keep);
          INDArray sliced = Slicing.keep(array, dim, keep);
          long[] expectedShape = shape.clone();
          expectedShape[dim] = keep.length;
          assertArrayEquals(expectedShape, sliced.shape(), "shape, dim " + dim + " order " + order);
          for (int j = 0; j < keep.length; j++) {
            assertEquals(at(array, dim, keep[j]), at(sliced, dim, j),
                "rank " + shape.length + " dim " + dim + " order " + order + " position " + keep[j]);
          }
        }
      }
    }
  }

  @Test
  void slicesAViewWithoutTouchingIt() {
    INDArray whole = Nd4j.linspace(DataType.FLOAT, 1, 60, 1).reshape('c', 6, 10);
    INDArray view = whole.get(NDArrayIndex.interval(1, 5), NDArrayIndex.interval(2, 9));
    INDArray before = whole.dup();
    INDArray sliced = Slicing.keep(view, 1, new int[] {0, 3, 6});
    assertEquals(Nd4j.createFromArray(new float[][] {
        {13, 16, 19}, {23, 26, 29}, {33, 36, 39}, {43, 46, 49}}), sliced);
    assertEquals(before, whole);
  }

  /** A row-major view at an offset (how DL4J's parameters lie in their one vector) is read in place. */
  @Test
  void slicesAContiguousViewAtAnOffset() {
    INDArray whole = Nd4j.linspace(DataType.FLOAT, 0, 48, 1).reshape('c', 4, 12);
    INDArray view = whole.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all()).reshape('c', 2, 3, 4);
    assertEquals(24, view.offset());
    assertEquals(Nd4j.createFromArray(new float[][][] {{{24, 26, 27}, {28, 30, 31}, {32, 34, 35}},
        {{36, 38, 39}, {40, 42, 43}, {44, 46, 47}}}), Slicing.keep(view, 2, new int[] {0, 2, 3}));
    INDArray f = Nd4j.linspace(DataType.DOUBLE, 0, 12, 1).reshape('c', 3, 4).dup('f');
    assertEquals(Nd4j.createFromArray(new double[][] {{0, 3}, {4, 7}, {8, 11}}), Slicing.keep(f, 1, new int[] {0, 3}));
    assertEquals(Nd4j.createFromArray(new double[][] {{4, 5, 6, 7}}), Slicing.keep(f, 0, new int[] {1}));
  }

  @Test
  void keepsGatesSideBySide() {
    INDArray b = Nd4j.createFromArray(new float[] {0, 1, 2, 10, 11, 12}).reshape(1, 6);
    assertEquals(Nd4j.createFromArray(new float[] {0, 2, 10, 12}).reshape(1, 4),
        Slicing.keepPerBlock(b, 1, 2, new int[] {0, 2}));
  }

  @Test
  void refusesPositionsOutOfRange() {
    INDArray a = Nd4j.zeros(DataType.FLOAT, 3, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slicing.keep(a, 1, new int[] {0, 4}));
    assertEquals("position 4 is out of range for dimension 1 of an array of shape [3, 4]", e.getMessage());
  }

  private static INDArray at(INDArray array, int dim, int position) {
    INDArrayIndex[] index = new INDArrayIndex[array.rank()];
    for (int d = 0; d < index.length; d++) {
      index[d] = d == dim ? NDArrayIndex.point(position) : NDArrayIndex.all();
    }
    return array.get(index).dup('c');
  }
}
