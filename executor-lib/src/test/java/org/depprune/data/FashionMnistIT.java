package org.depprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Debian's {@code dataset-fashion-mnist}, read with DepPrune's IDX reader. */
class FashionMnistIT {
  @Test
  void readsDebiansFashionMnist() throws IOException {
    LabeledImages train = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    LabeledImages test = FashionMnist.test(FashionMnist.DEBIAN_DIR);
    assertEquals(60_000, train.size());
    assertEquals(10_000, test.size());
    assertEquals(28, train.rows());
    assertEquals(28, train.cols());
    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    int[] trainCounts = new int[10];
    int[] testCounts = new int[10];
    for (int i = 0; i < train.size(); i++) {
      trainCounts[train.label(i)]++;
    }
    for (int i = 0; i < test.size(); i++) {
      testCounts[test.label(i)]++;
    }
    int[] sixThousand = new int[10];
    int[] oneThousand = new int[10];
    Arrays.fill(sixThousand, 6000);
    Arrays.fill(oneThousand, 1000);
    assertArrayEquals(sixThousand, trainCounts);
    assertArrayEquals(oneThousand, testCounts);
    // The data set's documented first labels: ankle boot, T-shirt, T-shirt, dress.
    assertEquals(9, train.label(0));
    assertEquals(0, train.label(1));
    assertEquals(3, train.label(3));
    int max = 0;
    for (int p = 0; p < 784; p++) {
      max = Math.max(max, train.pixel(0, p));
    }
    assertEquals(255, max);
  }
}
