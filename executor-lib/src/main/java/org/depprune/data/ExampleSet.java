package org.depprune.data;

import java.io.Serializable;

/**
 * Labelled examples that a {@link BatchIterator} turns into minibatches: each example is a block
 * of {@link #featureLength()} floats of shape {@link #exampleShape()} ({@code [channels, height,
 * width]} for images, {@code [features]} for a vector) and a class index in {@code [0,
 * numClasses)}. Two kinds: {@link LabeledImages} (grey-scale IDX bytes, scaled on the fly) and
 * {@link Examples} (ready floats, from any data source).
 */
public interface ExampleSet extends Serializable {
  int size();

  int numClasses();

  /** One example's shape, without the batch axis. */
  long[] exampleShape();

  /** The class of example {@code i}. */
  int label(int i);

  /** Copies example {@code i}'s features into {@code out} at {@code offset}. */
  void copyFeatures(int i, float[] out, int offset);

  /** The number of floats in one example. */
  default int featureLength() {
    long n = 1;
    for (long d : exampleShape()) {
      n *= d;
    }
    return Math.toIntExact(n);
  }
}
