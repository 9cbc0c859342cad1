package org.depprune.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Grey-scale images with class labels, held as the raw bytes of their IDX files (one byte a
 * pixel, 0-255): 60,000 Fashion-MNIST images take 47 MB this way against 188 MB as floats.
 * Iterators turn slices of it into normalised batches on demand.
 */
public final class LabeledImages implements ExampleSet {
  private final int rows;
  private final int cols;
  private final int numClasses;
  private final byte[] pixels;
  private final byte[] labels;

  /**
   * @param pixels {@code labels.length * rows * cols} bytes, image after image, row-major
   * @param labels one class index per image, in {@code [0, numClasses)}
   */
  public LabeledImages(int rows, int cols, int numClasses, byte[] pixels, byte[] labels) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("image size must be positive, found " + rows + "x" + cols);
    }
    if (numClasses < 2) {
      throw new IllegalArgumentException("need at least 2 classes, found " + numClasses);
    }
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    if ((long) labels.length * rows * cols != pixels.length) {
      throw new IllegalArgumentException(
          labels.length + " labels need " + (long) labels.length * rows * cols
              + " pixels of " + rows + "x" + cols + " images, found " + pixels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      int label = Byte.toUnsignedInt(labels[i]);
      if (label >= numClasses) {
        throw new IllegalArgumentException(
            "label " + label + " of image " + i + " is not in [0, " + numClasses + ")");
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.numClasses = numClasses;
    this.pixels = pixels;
    this.labels = labels;
  }

  @Override
  public int size() {
    return labels.length;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  /** One grey-scale image: {@code [1, rows, cols]}. */
  @Override
  public long[] exampleShape() {
    return new long[] {1, rows, cols};
  }

  /** The class of image {@code i}. */
  @Override
  public int label(int i) {
    return Byte.toUnsignedInt(labels[i]);
  }

  /** Pixel {@code p} (row-major) of image {@code i}, in {@code [0, 255]}. */
  public int pixel(int i, int p) {
    return Byte.toUnsignedInt(pixels[i * rows * cols + p]);
  }

  /** The images at {@code indices}, in that order, as a new set (bytes copied). */
  public LabeledImages select(int[] indices) {
    int pixelsPerImage = rows * cols;
    byte[] newPixels = new byte[indices.length * pixelsPerImage];
    byte[] newLabels = new byte[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      System.arraycopy(pixels, i * pixelsPerImage, newPixels, k * pixelsPerImage, pixelsPerImage);
      newLabels[k] = labels[i];
    }
    return new LabeledImages(rows, cols, numClasses, newPixels, newLabels);
  }

  /** The raw pixel bytes (a copy). */
  public byte[] pixelBytes() {
    return pixels.clone();
  }

  /** The raw label bytes (a copy). */
  public byte[] labelBytes() {
    return labels.clone();
  }

  /** Copies image {@code i}'s pixels, scaled to {@code [0, 1]}, into {@code out} at {@code offset}. */
  @Override
  public void copyFeatures(int i, float[] out, int offset) {
    int pixelsPerImage = rows * cols;
    int base = i * pixelsPerImage;
    for (int p = 0; p < pixelsPerImage; p++) {
      out[offset + p] = Byte.toUnsignedInt(pixels[base + p]) / 255f;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledImages other
        && rows == other.rows
        && cols == other.cols
        && numClasses == other.numClasses
        && Arrays.equals(pixels, other.pixels)
        && Arrays.equals(labels, other.labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rows, cols, numClasses, Arrays.hashCode(labels));
  }

  @Override
  public String toString() {
    return "LabeledImages[" + size() + " images of " + rows + "x" + cols + ", " + numClasses
        + " classes]";
  }
}
