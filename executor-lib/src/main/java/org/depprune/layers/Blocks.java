package org.depprune.layers;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The two shapes of a reshape between flat features and channels. Channels first (NCHW, 'c'
 * order): channel {@code c} owns the {@code area} consecutive features {@code c*area ...};
 * channels last (NHWC, 'f' order): channel {@code c} owns features {@code c, c+C, c+2C, ...}.
 */
final class Blocks {
  private Blocks() {}

  /** The feature of channel {@code c} at spatial position {@code p}. */
  static int feature(int c, int p, int channels, int area, boolean channelsFirst) {
    return channelsFirst ? c * area + p : p * channels + c;
  }

  /** The channel of feature {@code f}. */
  static int channel(int f, int channels, int area, boolean channelsFirst) {
    return channelsFirst ? f / area : f % channels;
  }

  /** Channels to features: every channel's slot repeats over its {@code area} features. */
  static int[] expand(int[] channelSlots, int area, boolean channelsFirst) {
    int channels = channelSlots.length;
    int[] features = new int[channels * area];
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < area; p++) {
        features[feature(c, p, channels, area, channelsFirst)] = channelSlots[c];
      }
    }
    return features;
  }

  /**
   * Features to channels: the slots of each channel's {@code area} features are joined (they
   * are pruned as one), and each channel gets its first feature's slot.
   */
  static int[] join(int[] featureSlots, int channels, int area, boolean channelsFirst, Slots slots, String what) {
    if ((long) channels * area != featureSlots.length) {
      throw new IllegalArgumentException(
          what + " expects " + channels + " x " + area + " = " + (long) channels * area
              + " input features but its input has " + featureSlots.length);
    }
    int[] out = new int[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = featureSlots[feature(c, 0, channels, area, channelsFirst)];
      for (int p = 1; p < area; p++) {
        slots.union(out[c], featureSlots[feature(c, p, channels, area, channelsFirst)]);
      }
    }
    return out;
  }

  /** The kept features of kept channels {@code keepChannels} (of {@code channels}). */
  static int[] expandKept(int[] keepChannels, int channels, int area, boolean channelsFirst) {
    TreeSet<Integer> kept = new TreeSet<>();
    for (int c : keepChannels) {
      for (int p = 0; p < area; p++) {
        kept.add(feature(c, p, channels, area, channelsFirst));
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The kept channels of kept features {@code keepFeatures} (whole channels by construction). */
  static int[] joinKept(int[] keepFeatures, int channels, int area, boolean channelsFirst) {
    return Arrays.stream(keepFeatures).map(f -> channel(f, channels, area, channelsFirst)).distinct().sorted().toArray();
  }

  /** The channel count left when {@code keptFeatures} features of {@code area} each survive. */
  static int channelsLeft(int keptFeatures, int area, String what) {
    if (keptFeatures % area != 0) {
      throw new IllegalStateException(
          what + ": " + keptFeatures + " kept features are not whole channels of " + area);
    }
    return keptFeatures / area;
  }
}
