package org.depprune.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;

/** Shape arithmetic shared by the MACs rules. */
final class Costs {
  private Costs() {}

  /** Output positions of a 2D or 3D activation: {@code H * W}, or {@code D * H * W}. */
  static long positions(InputType type, String layer) {
    if (type instanceof InputType.InputTypeConvolutional conv) {
      return conv.getHeight() * conv.getWidth();
    }
    if (type instanceof InputType.InputTypeConvolutional3D conv) {
      return conv.getDepth() * conv.getHeight() * conv.getWidth();
    }
    throw new IllegalArgumentException(layer + " expects a convolutional (CNN or CNN3D) activation, found " + type);
  }

  /** Time steps of a sequence (1 for feed-forward activations or an unknown length). */
  static long steps(InputType type) {
    return type instanceof InputType.InputTypeRecurrent r ? Math.max(1, r.getTimeSeriesLength()) : 1;
  }
}
