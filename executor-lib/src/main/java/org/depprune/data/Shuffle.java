package org.depprune.data;

import java.util.SplittableRandom;

/**
 * The seeded Fisher-Yates shuffle every random order in DepPrune comes from: the train /
 * validation split, the partitions, a trial's finetune order, an iterator's passes and the final
 * finetune's epochs. The same generator state gives the same order on any machine.
 */
public final class Shuffle {
  private Shuffle() {}

  /** A random permutation of {@code 0..n-1}. */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, random);
    return order;
  }

  /** A shuffled copy of {@code values}. */
  public static int[] shuffled(int[] values, SplittableRandom random) {
    int[] copy = values.clone();
    shuffle(copy, random);
    return copy;
  }

  private static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }
}
