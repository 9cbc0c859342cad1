package org.depprune.data;

/**
 * How a data set's training images were split into train and validation: how many go to
 * validation and the shuffle's seed. A model's provenance records it, so every later step (the
 * search, {@code prune --data}) calibrates and finetunes on the same training part and never on
 * the validation images.
 */
public record SplitSpec(int validationExamples, long seed) {
  public SplitSpec {
    if (validationExamples <= 0) {
      throw new IllegalArgumentException("a split needs at least one validation example, found " + validationExamples);
    }
  }

  /** The split of {@code n} examples. */
  public Split apply(int n) {
    return Split.of(n, validationExamples, seed);
  }
}
