package org.depprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitTest {
  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    Split a = Split.of(60_000, 6_000, 7);
    Split b = Split.of(60_000, 6_000, 7);
    Split c = Split.of(60_000, 6_000, 8);
    assertEquals(a, b);
    assertArrayEquals(a.validation(), b.validation());
    assertNotEquals(a, c);
    assertEquals(54_000, a.train().length);
    assertEquals(6_000, a.validation().length);
  }

  @Test
  void trainAndValidationAreDisjointAndCoverEverything() {
    Split split = Split.of(1_000, 100, 3);
    BitSet seen = new BitSet();
    for (int i : split.train()) {
      assertFalse(seen.get(i), "index " + i + " twice");
      seen.set(i);
    }
    for (int i : split.validation()) {
      assertFalse(seen.get(i), "index " + i + " in both parts");
      seen.set(i);
    }
    assertEquals(1_000, seen.cardinality());
    assertEquals(999, seen.length() - 1);
  }

  @Test
  void partitionsAreDeterministicDisjointBalancedAndComplete() {
    Split split = Split.of(1_003, 100, 3);
    List<int[]> parts = split.partitions(4, 11);
    List<int[]> again = split.partitions(4, 11);
    BitSet seen = new BitSet();
    int total = 0;
    for (int p = 0; p < 4; p++) {
      assertArrayEquals(parts.get(p), again.get(p));
      assertArrayEquals(parts.get(p), split.partition(p, 4, 11));
      int size = parts.get(p).length;
      assertTrue(size == 225 || size == 226, "partition sizes differ by at most one: " + size);
      for (int i : parts.get(p)) {
        assertFalse(seen.get(i), "index " + i + " in two partitions");
        seen.set(i);
      }
      total += size;
    }
    assertEquals(903, total);
    BitSet train = new BitSet();
    for (int i : split.train()) {
      train.set(i);
    }
    assertEquals(train, seen);
    assertFalse(java.util.Arrays.equals(parts.get(0), split.partitions(4, 12).get(0)));
  }

  @Test
  void badSizesAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Split.of(10, 10, 1));
    assertTrue(e.getMessage().contains("validation size must be in [1, 9]"), e.getMessage());
    Split split = Split.of(10, 2, 1);
    e = assertThrows(IllegalArgumentException.class, () -> split.partitions(9, 1));
    assertTrue(e.getMessage().contains("partition count must be in [1, 8]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> split.partition(2, 2, 1));
    assertTrue(e.getMessage().contains("partition index must be in [0, 2)"), e.getMessage());
  }
}
