package org.depprune.layers;

import java.util.List;

/** Checks that a node's inputs have the widths its configuration expects. */
final class Widths {
  private Widths() {}

  static int[] single(List<int[]> inputSlots, String type) {
    if (inputSlots.size() != 1) {
      throw new IllegalArgumentException(
          type + " takes one input, found " + inputSlots.size());
    }
    return inputSlots.get(0);
  }

  static void expect(long expected, int[] slots, String what) {
    if (expected != slots.length) {
      throw new IllegalArgumentException(
          what + " expects " + expected + " input channels but its input has " + slots.length);
    }
  }
}
