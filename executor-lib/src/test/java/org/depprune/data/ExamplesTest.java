package org.depprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExamplesTest {
  static Examples of(long firstId, int n) {
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] features = new float[n * 6];
    for (int i = 0; i < n; i++) {
      ids[i] = firstId + i;
      labels[i] = i % 3;
      for (int f = 0; f < 6; f++) {
        features[i * 6 + f] = (firstId + i) * 10 + f;
      }
    }
    return new Examples(new long[] {2, 1, 3}, 3, ids, labels, features);
  }

  @Test
  void batchesHaveTheExampleShapeAndOneHotLabels() {
    Examples examples = of(100, 5);
    var batch = BatchIterator.ordered(examples, new int[] {4, 1}, 2).next();
    assertArrayEquals(new long[] {2, 2, 1, 3}, batch.getFeatures().shape());
    assertEquals(1045f, batch.getFeatures().getFloat(0, 1, 0, 2), "example id 104, feature 5");
    assertEquals(1f, batch.getLabels().getFloat(0, 1), "example 4 is class 1");
    assertEquals(1f, batch.getLabels().getFloat(1, 1), "example 1 is class 1");
  }

  @Test
  void selectConcatAndHeadKeepIdsLabelsAndFeaturesTogether() {
    Examples joined = Examples.concat(new long[] {2, 1, 3}, 3, List.of(of(0, 2), of(50, 3)));
    assertEquals(5, joined.size());
    assertEquals(51, joined.id(3));
    Examples picked = joined.select(new int[] {4, 0});
    assertEquals(List.of(52L, 0L), List.of(picked.id(0), picked.id(1)));
    assertEquals(joined.label(4), picked.label(0));
    float[] out = new float[6];
    picked.copyFeatures(0, out, 0);
    assertArrayEquals(new float[] {520, 521, 522, 523, 524, 525}, out);
    assertEquals(of(0, 2), joined.head(2));
  }

  @Test
  void inconsistentExamplesAreRefused() {
    var shape = assertThrows(IllegalArgumentException.class,
        () -> new Examples(new long[] {4}, 3, new long[] {1}, new int[] {0}, new float[3]));
    assertTrue(shape.getMessage().contains("need 4 floats, found 3"), shape.getMessage());
    var label = assertThrows(IllegalArgumentException.class,
        () -> new Examples(new long[] {1}, 3, new long[] {7}, new int[] {3}, new float[1]));
    assertTrue(label.getMessage().contains("label 3 of example 7"), label.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Examples.concat(new long[] {6}, 3, List.of(of(0, 1))));
  }
}
