package org.depprune.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;

/**
 * Keras's {@code ReshapePreprocessor} (DL4J 1.0.0-M2.1): a plain 'c' order reshape of the raw
 * activation. It maps exactly when its input is flat (dense units): to a flat output of the same
 * width, to an image, or to a sequence, with the channel axis where DL4J's own output type puts
 * it (Keras import configures the consumer from that type): an NHWC image or an NWC sequence
 * joins the units {@code c, c+C, ...}, an NCHW image the units {@code c*H*W ...}. A reshape of
 * an image or a sequence is refused, since where its channels go depends on the producer's
 * layout.
 */
final class KerasReshapePruner implements PreprocessorPruner<ReshapePreprocessor> {
  @Override
  public Class<ReshapePreprocessor> type() {
    return ReshapePreprocessor.class;
  }

  /** The mapping of one configuration: how many channels, of how many features each, in which order. */
  private record Layout(int channels, int area, boolean channelsFirst) {}

  private static Layout layout(ReshapePreprocessor pre) {
    long[] in = withoutBatch(pre, pre.getInputShape());
    long[] target = withoutBatch(pre, pre.getTargetShape());
    if (in.length != 1) {
      throw new Unmappable("it reshapes a " + Arrays.toString(in) + " activation to "
          + Arrays.toString(target) + ", and where its channels go depends on the producer's layout;"
          + " only a reshape of dense units maps exactly: reshape a dense layer's output instead");
    }
    int units = Math.toIntExact(in[0]);
    if (target.length == 1) {
      return new Layout(units, 1, true);
    }
    InputType type = pre.getOutputType(InputType.feedForward(units));
    if (type instanceof InputType.InputTypeConvolutional image && target.length == 3) {
      int channels = Math.toIntExact(image.getChannels());
      return new Layout(channels, units / channels, image.getFormat() == CNN2DFormat.NCHW);
    }
    if (type instanceof InputType.InputTypeRecurrent sequence && target.length == 2
        && sequence.getFormat() == RNNFormat.NWC) {
      int size = Math.toIntExact(sequence.getSize());
      return new Layout(size, units / size, false);
    }
    throw new Unmappable("its target shape " + Arrays.toString(target) + " (DL4J type " + type
        + ") has no verified channel axis; reshape dense units to [H, W, C], [C, H, W] or [T, F]");
  }

  @Override
  public int[] map(ReshapePreprocessor pre, int[] producerSlots, Slots slots) {
    Layout l = layout(pre);
    return Blocks.join(producerSlots, l.channels(), l.area(), l.channelsFirst(), slots, "ReshapePreprocessor");
  }

  @Override
  public void resize(ReshapePreprocessor pre, int[] keepProducer) {
    Layout l = layout(pre);
    int channels = Blocks.channelsLeft(keepProducer.length, l.area(), "ReshapePreprocessor");
    long[] in = pre.getInputShape().clone();
    in[in.length - 1] = keepProducer.length;
    long[] target = pre.getTargetShape().clone();
    boolean flat = withoutBatch(pre, target).length == 1;
    target[flat || !l.channelsFirst() ? target.length - 1 : target.length - 3] = flat ? keepProducer.length : channels;
    // The shapes are final fields, and clone() shares their arrays with the original: replace them.
    replace(pre, "inputShape", in);
    replace(pre, "targetShape", target);
  }

  @Override
  public int[] keptOutput(ReshapePreprocessor pre, int[] keepProducer) {
    Layout l = layout(pre);
    return Blocks.joinKept(keepProducer, l.channels(), l.area(), l.channelsFirst());
  }

  private static long[] withoutBatch(ReshapePreprocessor pre, long[] shape) {
    return pre.isHasMiniBatchDimension() ? Arrays.copyOfRange(shape, 1, shape.length) : shape;
  }

  private static void replace(ReshapePreprocessor pre, String name, long[] value) {
    try {
      java.lang.reflect.Field field = ReshapePreprocessor.class.getDeclaredField(name);
      field.setAccessible(true);
      field.set(pre, value);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot resize ReshapePreprocessor: its field '" + name + "' is not where DL4J 1.0.0-M2.1"
              + " keeps it (" + e + "); check the DL4J version", e);
    }
  }
}
