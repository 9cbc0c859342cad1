package org.depprune.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.depprune.data.Split;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
  @Test
  void theRecordedSplitIsTheBaseModelsSplitAndItsPartitions() {
    SplitPlan plan = new SplitPlan(SplitPlan.Mode.RECORDED, 400, 100, 0, 7, 42, 4);
    Split split = Split.of(400, 100, 7);
    for (int i : split.validation()) {
      assertEquals(SplitPlan.VALIDATION, plan.partition(i));
    }
    List<int[]> parts = split.partitions(4, 42);
    for (int p = 0; p < 4; p++) {
      int q = p;
      assertArrayEquals(parts.get(p), IntStream.range(0, 400).filter(i -> plan.partition(i) == q).toArray());
    }
  }

  @Test
  void aFractionIsHeldOutByTheIdAloneWhateverTheOrder() {
    SplitPlan plan = new SplitPlan(SplitPlan.Mode.FRACTION, 0, 0, 0.2, 5, 9, 3);
    int n = 20_000;
    long validation = IntStream.range(0, n).filter(i -> plan.partition(i) == SplitPlan.VALIDATION).count();
    assertEquals(0.2, validation / (double) n, 0.01);
    int[] sizes = new int[3];
    IntStream.range(0, n).map(plan::partition).filter(p -> p >= 0).forEach(p -> sizes[p]++);
    for (int size : sizes) {
      assertEquals((n - validation) / 3.0, size, 0.05 * n / 3, "balanced partitions: " + java.util.Arrays.toString(sizes));
    }
    // the same id, the same part, from any other plan object with the same settings
    SplitPlan same = new SplitPlan(SplitPlan.Mode.FRACTION, 0, 0, 0.2, 5, 9, 3);
    assertTrue(IntStream.range(0, 1000).allMatch(i -> plan.partition(i) == same.partition(i)));
    SplitPlan otherSeed = new SplitPlan(SplitPlan.Mode.FRACTION, 0, 0, 0.2, 6, 9, 3);
    assertTrue(IntStream.range(0, 1000).anyMatch(i -> plan.partition(i) != otherSeed.partition(i)));
  }

  @Test
  void withItsOwnValidationPathEveryRecordTrains() {
    SplitPlan plan = new SplitPlan(SplitPlan.Mode.PATHS, 0, 0, 0, 5, 9, 2);
    assertTrue(IntStream.range(0, 1000).allMatch(i -> plan.partition(i) == 0 || plan.partition(i) == 1));
  }
}
