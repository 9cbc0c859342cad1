package org.depprune.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Labelled examples held as floats, ready for a network: what a data source decodes (an image
 * resized and normalised, a row of numbers), with each example's id in its source. A Spark
 * partition of a search's data is one {@code Examples}, sorted by id.
 *
 * @see ExampleSet
 */
public final class Examples implements ExampleSet {
  private static final long serialVersionUID = 1L;

  private final long[] shape;
  private final int numClasses;
  private final long[] ids;
  private final int[] labels;
  private final float[] features;

  /**
   * @param shape one example's shape ({@code [channels, height, width]} or {@code [features]})
   * @param ids each example's id in its source (a row index or an id column)
   * @param labels each example's class, in {@code [0, numClasses)}
   * @param features {@code ids.length} examples of {@code product(shape)} floats, one after another
   */
  public Examples(long[] shape, int numClasses, long[] ids, int[] labels, float[] features) {
    Objects.requireNonNull(shape, "shape");
    if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException("an example's shape must have positive sizes, found " + Arrays.toString(shape));
    }
    if (ids.length != labels.length) {
      throw new IllegalArgumentException(ids.length + " ids but " + labels.length + " labels");
    }
    long length = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (features.length != ids.length * length) {
      throw new IllegalArgumentException(ids.length + " examples of shape " + Arrays.toString(shape) + " need "
          + ids.length * length + " floats, found " + features.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException("label " + labels[i] + " of example " + ids[i] + " is not in [0, "
            + numClasses + ")");
      }
    }
    this.shape = shape.clone();
    this.numClasses = numClasses;
    this.ids = ids;
    this.labels = labels;
    this.features = features;
  }

  /** No examples of {@code shape}. */
  public static Examples empty(long[] shape, int numClasses) {
    return new Examples(shape, numClasses, new long[0], new int[0], new float[0]);
  }

  /** The examples of {@code parts} one after another, in the order given. */
  public static Examples concat(long[] shape, int numClasses, List<Examples> parts) {
    int n = parts.stream().mapToInt(Examples::size).sum();
    int length = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] features = new float[Math.multiplyExact(n, length)];
    int at = 0;
    for (Examples part : parts) {
      if (!Arrays.equals(part.shape, shape)) {
        throw new IllegalArgumentException("examples of shape " + Arrays.toString(part.shape) + " cannot join examples of "
            + Arrays.toString(shape));
      }
      System.arraycopy(part.ids, 0, ids, at, part.size());
      System.arraycopy(part.labels, 0, labels, at, part.size());
      System.arraycopy(part.features, 0, features, at * length, part.features.length);
      at += part.size();
    }
    return new Examples(shape, numClasses, ids, labels, features);
  }

  @Override
  public int size() {
    return ids.length;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public long[] exampleShape() {
    return shape.clone();
  }

  @Override
  public int label(int i) {
    return labels[i];
  }

  /** Example {@code i}'s id in its source. */
  public long id(int i) {
    return ids[i];
  }

  @Override
  public void copyFeatures(int i, float[] out, int offset) {
    int length = features.length / Math.max(1, ids.length);
    System.arraycopy(features, i * length, out, offset, length);
  }

  /** The examples at {@code indices}, in that order (copied). */
  public Examples select(int[] indices) {
    int length = featureLength();
    long[] newIds = new long[indices.length];
    int[] newLabels = new int[indices.length];
    float[] newFeatures = new float[indices.length * length];
    for (int k = 0; k < indices.length; k++) {
      newIds[k] = ids[indices[k]];
      newLabels[k] = labels[indices[k]];
      System.arraycopy(features, indices[k] * length, newFeatures, k * length, length);
    }
    return new Examples(shape, numClasses, newIds, newLabels, newFeatures);
  }

  /** The first {@code n} examples (all when there are fewer). */
  public Examples head(int n) {
    int[] first = new int[Math.min(n, size())];
    Arrays.setAll(first, i -> i);
    return select(first);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Examples other
        && numClasses == other.numClasses
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(ids, other.ids)
        && Arrays.equals(labels, other.labels)
        && Arrays.equals(features, other.features);
  }

  @Override
  public int hashCode() {
    return Objects.hash(numClasses, Arrays.hashCode(shape), Arrays.hashCode(ids), Arrays.hashCode(labels));
  }

  @Override
  public String toString() {
    return "Examples[" + size() + " of shape " + Arrays.toString(shape) + ", " + numClasses + " classes]";
  }
}
