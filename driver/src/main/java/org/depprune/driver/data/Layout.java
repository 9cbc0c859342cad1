package org.depprune.driver.data;

import java.io.Serializable;

/**
 * How one example is laid out for the network: an image of {@code channels x height x width}
 * (channels first, or last as Keras imports take it; or flattened into a vector for a network
 * whose first layer is dense), or a vector of {@code features} numbers.
 *
 * @param resize scale images of another size instead of refusing them
 * @param scale whether image pixels are divided by 255 ({@code unit} and {@code standard})
 */
record Layout(boolean image, int channels, int height, int width, boolean channelsLast, boolean flat, int features,
    boolean resize, boolean scale) implements Serializable {

  static Layout image(int channels, int height, int width, boolean channelsLast, boolean flat, boolean resize,
      boolean scale) {
    return new Layout(true, channels, height, width, channelsLast, flat, channels * height * width, resize, scale);
  }

  static Layout vector(int features) {
    return new Layout(false, 0, 0, 0, false, true, features, false, false);
  }

  /** One example's shape as the network takes it. */
  long[] exampleShape() {
    if (!image || flat) {
      return new long[] {features};
    }
    return channelsLast ? new long[] {height, width, channels} : new long[] {channels, height, width};
  }

  /**
   * One example's shape in the model's terms, channels first whatever the layout: {@code [C, H, W]}
   * for an image, {@code [N]} for a vector or a flattened image.
   */
  long[] channelsFirstShape() {
    return image && !flat ? new long[] {channels, height, width} : new long[] {features};
  }

  /** Standardisation groups: an image's channels, or a vector's features. */
  int groups() {
    return image ? channels : features;
  }

  /** The standardisation group of float {@code i} of an example. */
  int group(int i) {
    if (!image) {
      return i;
    }
    return channelsLast ? i % channels : i / (height * width);
  }

  @Override
  public String toString() {
    return image ? channels + "x" + height + "x" + width + (channelsLast ? " (channels last)" : "")
        + (flat ? ", flattened" : "") : features + " features";
  }
}
