package org.depprune.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, deterministic split of {@code n} example indices into a training and a validation
 * part, and of the training part into disjoint partitions (what each Spark executor finetunes on).
 * The same {@code (n, validationSize, seed)} always gives the same indices, on any machine.
 *
 * @param train the training indices, sorted
 * @param validation the validation indices, sorted
 */
public record Split(int[] train, int[] validation) {

  public Split {
    train = train.clone();
    validation = validation.clone();
  }

  /**
   * Shuffles {@code 0..n-1} ({@link Shuffle}) with a generator seeded by {@code seed} and takes the first
   * {@code validationSize} as the validation part.
   */
  public static Split of(int n, int validationSize, long seed) {
    if (validationSize <= 0 || validationSize >= n) {
      throw new IllegalArgumentException(
          "validation size must be in [1, " + (n - 1) + "] for " + n + " examples, found "
              + validationSize);
    }
    int[] order = Shuffle.permutation(n, new SplittableRandom(seed));
    int[] validation = Arrays.copyOfRange(order, 0, validationSize);
    int[] train = Arrays.copyOfRange(order, validationSize, n);
    Arrays.sort(validation);
    Arrays.sort(train);
    return new Split(train, validation);
  }

  /**
   * The training part cut into {@code count} disjoint partitions of (almost) equal size that
   * together hold every training index once. Partition membership is a seeded shuffle of the
   * training indices dealt round-robin, so every partition sees every class.
   */
  public List<int[]> partitions(int count, long seed) {
    if (count <= 0 || count > train.length) {
      throw new IllegalArgumentException(
          "partition count must be in [1, " + train.length + "], found " + count);
    }
    int[] order = Shuffle.permutation(train.length, new SplittableRandom(seed));
    List<int[]> parts = new ArrayList<>(count);
    for (int p = 0; p < count; p++) {
      int size = train.length / count + (p < train.length % count ? 1 : 0);
      int[] part = new int[size];
      for (int k = 0; k < size; k++) {
        part[k] = train[order[k * count + p]];
      }
      Arrays.sort(part);
      parts.add(part);
    }
    return List.copyOf(parts);
  }

  /** Partition {@code index} of {@link #partitions(int, long)}. */
  public int[] partition(int index, int count, long seed) {
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "partition index must be in [0, " + count + "), found " + index);
    }
    return partitions(count, seed).get(index);
  }

  @Override
  public int[] train() {
    return train.clone();
  }

  @Override
  public int[] validation() {
    return validation.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Split other
        && Arrays.equals(train, other.train)
        && Arrays.equals(validation, other.validation);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(train) + Arrays.hashCode(validation);
  }

  @Override
  public String toString() {
    return "Split[train=" + train.length + ", validation=" + validation.length + "]";
  }
}
