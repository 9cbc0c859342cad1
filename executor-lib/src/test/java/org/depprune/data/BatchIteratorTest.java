package org.depprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class BatchIteratorTest {
  /** Ten 3x2 images; image i has pixel p = 10 * i + p and label i % 4. */
  static LabeledImages tinyImages() {
    byte[] pixels = new byte[10 * 6];
    byte[] labels = new byte[10];
    for (int i = 0; i < 10; i++) {
      labels[i] = (byte) (i % 4);
      for (int p = 0; p < 6; p++) {
        pixels[i * 6 + p] = (byte) (10 * i + p);
      }
    }
    return new LabeledImages(3, 2, 4, pixels, labels);
  }

  @Test
  void batchesAreNchwScaledAndOneHot() {
    LabeledImages images = tinyImages();
    BatchIterator it = BatchIterator.ordered(images, new int[] {7, 2, 5}, 2);
    DataSet first = it.next();
    assertArrayEquals(new long[] {2, 1, 3, 2}, first.getFeatures().shape());
    assertArrayEquals(new long[] {2, 4}, first.getLabels().shape());
    assertEquals(71 / 255f, first.getFeatures().getFloat(0, 0, 0, 1), 1e-7);
    assertEquals(25 / 255f, first.getFeatures().getFloat(1, 0, 2, 1), 1e-7);
    assertArrayEquals(new float[] {0, 0, 0, 1}, first.getLabels().getRow(0).toFloatVector());
    assertArrayEquals(new float[] {0, 0, 1, 0}, first.getLabels().getRow(1).toFloatVector());
    DataSet last = it.next();
    assertEquals(1, last.numExamples());
    assertEquals(50 / 255f, last.getFeatures().getFloat(0, 0, 0, 0), 1e-7);
    assertFalse(it.hasNext());
    it.reset();
    assertEquals(first.getFeatures(), it.next().getFeatures());
  }

  @Test
  void fullRangePixelsScaleToOne() {
    byte[] pixels = {0, (byte) 255, (byte) 128, 1};
    LabeledImages images = new LabeledImages(2, 2, 2, pixels, new byte[] {1});
    DataSet batch = BatchIterator.ordered(images, 8).next();
    assertArrayEquals(
        new float[] {0f, 1f, 128 / 255f, 1 / 255f},
        batch.getFeatures().reshape(4).toFloatVector(), 1e-7f);
  }

  @Test
  void shuffledOrderIsSeededAndChangesEveryPass() {
    LabeledImages images = tinyImages();
    int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    List<Integer> a1 = order(BatchIterator.shuffled(images, all, 3, 5), images);
    BatchIterator b = BatchIterator.shuffled(images, all, 3, 5);
    List<Integer> b1 = order(b, images);
    b.reset();
    List<Integer> b2 = order(b, images);
    assertEquals(a1, b1);
    assertNotEquals(b1, b2);
    assertEquals(45, b2.stream().mapToInt(Integer::intValue).sum());
    assertNotEquals(a1, order(BatchIterator.shuffled(images, all, 3, 6), images));
  }

  @Test
  void anIteratorOverRealDataCoversItsIndices() {
    LabeledImages images = tinyImages().select(new int[] {9, 8, 1});
    assertEquals(9 % 4, images.label(0));
    assertEquals(80, images.pixel(1, 0));
    int[] indices = new SplittableRandom(1).ints(5, 0, 3).toArray();
    assertEquals(5, BatchIterator.ordered(images, indices, 4).numExamples());
  }

  /** The examples' first pixels divided by 10, i.e. their original indices, in visiting order. */
  private static List<Integer> order(BatchIterator it, LabeledImages images) {
    List<Integer> seen = new ArrayList<>();
    while (it.hasNext()) {
      DataSet batch = it.next();
      for (int k = 0; k < batch.numExamples(); k++) {
        seen.add(Math.round(batch.getFeatures().getFloat(k, 0, 0, 0) * 255) / 10);
      }
    }
    return seen;
  }
}
