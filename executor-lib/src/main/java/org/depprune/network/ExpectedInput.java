package org.depprune.network;

import java.util.Arrays;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * What a network's (first) input takes, as far as its configuration tells: DL4J 1.0.0-M2.1 does
 * not save a network's input types, so this reads them off the first layer that consumes the
 * input. A {@code FeedForwardToCnnPreProcessor} there gives the whole image shape, a convolution
 * gives its channels (height and width stay unknown, 0), a dense layer its feature count.
 *
 * @param layer the layer the input feeds
 * @param channels image channels (0 for a vector input)
 * @param height image height, 0 when the configuration does not say
 * @param width image width, 0 when the configuration does not say
 * @param features the length of a vector input (0 for an image input)
 * @param format the layout the first convolution reads (NCHW, or NHWC as Keras imports are)
 */
public record ExpectedInput(String layer, long channels, long height, long width, long features, CNN2DFormat format) {

  /** What {@code model}'s first input takes; empty when its first layer says nothing about it. */
  public static Optional<ExpectedInput> of(Model model) {
    Network net = Network.of(model);
    String input = net.inputNames().get(0);
    for (Network.Vertex v : net.vertices()) {
      if (v.kind() != Network.Kind.LAYER || !v.inputs().contains(input)) {
        continue;
      }
      Layer layer = (Layer) v.config();
      if (v.preProcessor() instanceof FeedForwardToCnnPreProcessor p) {
        return Optional.of(new ExpectedInput(v.name(), p.getNumChannels(), p.getInputHeight(), p.getInputWidth(), 0,
            format(layer)));
      }
      if (layer instanceof ConvolutionLayer conv) {
        return Optional.of(new ExpectedInput(v.name(), conv.getNIn(), 0, 0, 0, conv.getCnn2dDataFormat()));
      }
      if (layer instanceof FeedForwardLayer dense && !(layer instanceof SubsamplingLayer) && dense.getNIn() > 0) {
        return Optional.of(new ExpectedInput(v.name(), 0, 0, 0, dense.getNIn(), CNN2DFormat.NCHW));
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static CNN2DFormat format(Layer layer) {
    return layer instanceof ConvolutionLayer conv ? conv.getCnn2dDataFormat() : CNN2DFormat.NCHW;
  }

  /** Whether the network takes images. */
  public boolean image() {
    return channels > 0;
  }

  /** The whole input type, when the configuration gives every size of it. */
  public Optional<InputType> inputType() {
    if (!image()) {
      return Optional.of(InputType.feedForward(features));
    }
    return height > 0 && width > 0 ? Optional.of(InputType.convolutional(height, width, channels, format))
        : Optional.empty();
  }

  /** This input as a shape: {@code [C, H, W]} with {@code ?} for an unknown size, or {@code [N]}. */
  public String describe() {
    return image() ? "[" + channels + ", " + size(height) + ", " + size(width) + "] (channels, height, width)"
        : "[" + features + "] (features)";
  }

  private static String size(long n) {
    return n > 0 ? String.valueOf(n) : "?";
  }

  /**
   * Fails, naming both shapes and {@code fix}, when an example of {@code shape} (without the batch
   * axis: {@code [C, H, W]} or {@code [N]}) cannot be this input. A flat vector of C*H*W features
   * fits an image input that starts with a FeedForwardToCnnPreProcessor.
   */
  public void check(long[] shape, String fix) {
    boolean fits;
    if (image()) {
      fits = shape.length == 3 && shape[0] == channels && (height == 0 || shape[1] == height)
          && (width == 0 || shape[2] == width)
          || shape.length == 1 && height > 0 && width > 0 && shape[0] == channels * height * width;
    } else {
      fits = Arrays.stream(shape).reduce(1, (a, b) -> a * b) == features;
    }
    if (!fits) {
      throw new IllegalArgumentException("the data's examples have shape " + Arrays.toString(shape)
          + " but the model's layer '" + layer + "' takes " + describe() + ": " + fix);
    }
  }
}
