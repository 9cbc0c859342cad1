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
  /** One array per example: a partition is built from its decoded records without a second copy. */
  private final float[][] rows;

  /**
   * @param shape one example's shape ({@code [channels, height, width]} or {@code [features]})
   * @param ids each example's id in its source (a row index or an id column)
   * @param labels each example's class, in {@code [0, numClasses)}
   * @param features {@code ids.length} examples of {@code product(shape)} floats, one after another
   */
  public Examples(long[] shape, int numClasses, long[] ids, int[] labels, float[] features) {
    this(shape, numClasses, ids, labels, split(shape, ids.length, features));
  }

  /**
   * @param rows one array of {@code product(shape)} floats per example (kept, not copied)
   */
  public Examples(long[] shape, int numClasses, long[] ids, int[] labels, float[][] rows) {
    Objects.requireNonNull(shape, "shape");
    if (shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException("an example's shape must have positive sizes, found " + Arrays.toString(shape));
    }
    if (ids.length != labels.length || ids.length != rows.length) {
      throw new IllegalArgumentException(ids.length + " ids, " + labels.length + " labels and " + rows.length
          + " feature rows");
    }
    long length = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != length) {
        throw new IllegalArgumentException("example " + ids[i] + " of shape " + Arrays.toString(shape) + " needs "
            + length + " floats, found " + rows[i].length);
      }
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
    this.rows = rows;
  }

  private static float[][] split(long[] shape, int n, float[] features) {
    long length = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (features.length != n * length) {
      throw new IllegalArgumentException(n + " examples of shape " + Arrays.toString(shape) + " need "
          + n * length + " floats, found " + features.length);
    }
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = Arrays.copyOfRange(features, (int) (i * length), (int) ((i + 1) * length));
    }
    return rows;
  }

  /** No examples of {@code shape}. */
  public static Examples empty(long[] shape, int numClasses) {
    return new Examples(shape, numClasses, new long[0], new int[0], new float[0][]);
  }

  /** The examples of {@code parts} one after another, in the order given. */
  public static Examples concat(long[] shape, int numClasses, List<Examples> parts) {
    int n = parts.stream().mapToInt(Examples::size).sum();
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[][] rows = new float[n][];
    int at = 0;
    for (Examples part : parts) {
      if (!Arrays.equals(part.shape, shape)) {
        throw new IllegalArgumentException("examples of shape " + Arrays.toString(part.shape) + " cannot join examples of "
            + Arrays.toString(shape));
      }
      System.arraycopy(part.ids, 0, ids, at, part.size());
      System.arraycopy(part.labels, 0, labels, at, part.size());
      System.arraycopy(part.rows, 0, rows, at, part.size());
      at += part.size();
    }
    return new Examples(shape, numClasses, ids, labels, rows);
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
    System.arraycopy(rows[i], 0, out, offset, rows[i].length);
  }

  /** The examples at {@code indices}, in that order (sharing their feature arrays, which are never changed). */
  public Examples select(int[] indices) {
    long[] newIds = new long[indices.length];
    int[] newLabels = new int[indices.length];
    float[][] newRows = new float[indices.length][];
    for (int k = 0; k < indices.length; k++) {
      newIds[k] = ids[indices[k]];
      newLabels[k] = labels[indices[k]];
      newRows[k] = rows[indices[k]];
    }
    return new Examples(shape, numClasses, newIds, newLabels, newRows);
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
        && Arrays.deepEquals(rows, other.rows);
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
