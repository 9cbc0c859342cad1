package org.depprune.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;

/**
 * The preprocessors that reshape between channels and flat features. Layouts were checked
 * against DL4J 1.0.0-M2.1 at run time: every one is channels first (channel {@code c} owns
 * {@code area} consecutive features) except NDHWC 3D activations and Keras's
 * TensorFlow-order flatten, which are channels last (channel {@code c} owns {@code c, c+C, ...}).
 */
final class ReshapePruners {
  private ReshapePruners() {}

  /** Channels in, flat features out (a flatten): each channel's slot covers its features. */
  abstract static class Flatten<T extends InputPreProcessor> implements PreprocessorPruner<T> {
    abstract long channels(T pre);

    abstract long area(T pre);

    abstract boolean channelsFirst(T pre);

    abstract void setChannels(T pre, int channels);

    @Override
    public int[] map(T pre, int[] producerSlots, Slots slots) {
      int channels = Math.toIntExact(channels(pre));
      Widths.expect(channels, producerSlots, type().getSimpleName() + " with " + channels + " channels");
      return Blocks.expand(producerSlots, Math.toIntExact(area(pre)), channelsFirst(pre));
    }

    @Override
    public void resize(T pre, int[] keepProducer) {
      setChannels(pre, keepProducer.length);
    }

    @Override
    public int[] keptOutput(T pre, int[] keepProducer) {
      return Blocks.expandKept(keepProducer, Math.toIntExact(channels(pre)), Math.toIntExact(area(pre)), channelsFirst(pre));
    }
  }

  /**
   * Flat features in, channels out (dense units into an image): the units that become one
   * channel are joined and pruned together, so the producer loses whole channels.
   */
  abstract static class Unflatten<T extends InputPreProcessor> implements PreprocessorPruner<T> {
    abstract long channels(T pre);

    abstract long area(T pre);

    abstract boolean channelsFirst(T pre);

    abstract void setChannels(T pre, int channels);

    /**
     * Whether DL4J passes input that already has the channel shape through unchanged (the
     * feed-forward-to-CNN preprocessors do: a zoo model declared with flat input, fed images).
     */
    boolean passesShapedInput() {
      return false;
    }

    /** Input of exactly {@code channels} slots, where DL4J passes it through: already channels. */
    private boolean shaped(T pre, int width) {
      return passesShapedInput() && area(pre) > 1 && width == channels(pre);
    }

    @Override
    public int[] map(T pre, int[] producerSlots, Slots slots) {
      if (shaped(pre, producerSlots.length)) {
        return producerSlots.clone();
      }
      return Blocks.join(producerSlots, Math.toIntExact(channels(pre)), Math.toIntExact(area(pre)),
          channelsFirst(pre), slots, type().getSimpleName());
    }

    @Override
    public void resize(T pre, int[] keepProducer) {
      if (shaped(pre, keepProducer.length)) {
        return; // shaped input that lost nothing (a network input's channels are never pruned)
      }
      setChannels(pre, Blocks.channelsLeft(keepProducer.length, Math.toIntExact(area(pre)), type().getSimpleName()));
    }

    @Override
    public int[] keptOutput(T pre, int[] keepProducer) {
      if (shaped(pre, keepProducer.length)) {
        return keepProducer.clone();
      }
      return Blocks.joinKept(keepProducer, Math.toIntExact(channels(pre)), Math.toIntExact(area(pre)), channelsFirst(pre));
    }
  }

  /** {@code CnnToFeedForwardPreProcessor}: NCHW channels first, NHWC channels last. */
  static final class CnnToFeedForward extends Flatten<CnnToFeedForwardPreProcessor> {
    @Override
    public Class<CnnToFeedForwardPreProcessor> type() {
      return CnnToFeedForwardPreProcessor.class;
    }

    @Override
    long channels(CnnToFeedForwardPreProcessor p) {
      return p.getNumChannels();
    }

    @Override
    long area(CnnToFeedForwardPreProcessor p) {
      return p.getInputHeight() * p.getInputWidth();
    }

    @Override
    boolean channelsFirst(CnnToFeedForwardPreProcessor p) {
      return p.getFormat() != CNN2DFormat.NHWC;
    }

    @Override
    void setChannels(CnnToFeedForwardPreProcessor p, int channels) {
      p.setNumChannels(channels);
    }
  }

  /**
   * Keras's {@code TensorFlowCnnToFeedForwardPreProcessor}: flattens NCHW activations in
   * TensorFlow's (channels last) order. Other formats are not mapped.
   */
  static final class TensorFlowCnnToFeedForward extends Flatten<TensorFlowCnnToFeedForwardPreProcessor> {
    @Override
    public Class<TensorFlowCnnToFeedForwardPreProcessor> type() {
      return TensorFlowCnnToFeedForwardPreProcessor.class;
    }

    @Override
    public int[] map(TensorFlowCnnToFeedForwardPreProcessor p, int[] producerSlots, Slots slots) {
      if (p.getFormat() != CNN2DFormat.NCHW) {
        throw new Unmappable("its feature order for " + p.getFormat() + " activations is not verified;"
            + " import the model with channels-first (NCHW) convolutions");
      }
      return super.map(p, producerSlots, slots);
    }

    @Override
    long channels(TensorFlowCnnToFeedForwardPreProcessor p) {
      return p.getNumChannels();
    }

    @Override
    long area(TensorFlowCnnToFeedForwardPreProcessor p) {
      return p.getInputHeight() * p.getInputWidth();
    }

    @Override
    boolean channelsFirst(TensorFlowCnnToFeedForwardPreProcessor p) {
      return false;
    }

    @Override
    void setChannels(TensorFlowCnnToFeedForwardPreProcessor p, int channels) {
      p.setNumChannels(channels);
    }
  }

  /** {@code CnnToRnnPreProcessor}: each time step's [C, H, W] flattened channels first. */
  static final class CnnToRnn extends Flatten<CnnToRnnPreProcessor> {
    @Override
    public Class<CnnToRnnPreProcessor> type() {
      return CnnToRnnPreProcessor.class;
    }

    @Override
    long channels(CnnToRnnPreProcessor p) {
      return p.getNumChannels();
    }

    @Override
    long area(CnnToRnnPreProcessor p) {
      return p.getInputHeight() * p.getInputWidth();
    }

    @Override
    boolean channelsFirst(CnnToRnnPreProcessor p) {
      return true;
    }

    @Override
    void setChannels(CnnToRnnPreProcessor p, int channels) {
      p.setNumChannels(channels);
      setProduct(p, channels * p.getInputHeight() * p.getInputWidth());
    }
  }

  /** {@code Cnn3DToFeedForwardPreProcessor}: NCDHW channels first, NDHWC channels last. */
  static final class Cnn3DToFeedForward extends Flatten<Cnn3DToFeedForwardPreProcessor> {
    @Override
    public Class<Cnn3DToFeedForwardPreProcessor> type() {
      return Cnn3DToFeedForwardPreProcessor.class;
    }

    @Override
    long channels(Cnn3DToFeedForwardPreProcessor p) {
      return p.getNumChannels();
    }

    @Override
    long area(Cnn3DToFeedForwardPreProcessor p) {
      return p.getInputDepth() * p.getInputHeight() * p.getInputWidth();
    }

    @Override
    boolean channelsFirst(Cnn3DToFeedForwardPreProcessor p) {
      return p.isNCDHW();
    }

    @Override
    void setChannels(Cnn3DToFeedForwardPreProcessor p, int channels) {
      p.setNumChannels(channels);
    }
  }

  /** Keras's {@code KerasFlattenRnnPreprocessor}: [depth, time] flattened depth first. */
  static final class KerasFlattenRnn extends Flatten<KerasFlattenRnnPreprocessor> {
    @Override
    public Class<KerasFlattenRnnPreprocessor> type() {
      return KerasFlattenRnnPreprocessor.class;
    }

    @Override
    long channels(KerasFlattenRnnPreprocessor p) {
      return p.getDepth();
    }

    @Override
    long area(KerasFlattenRnnPreprocessor p) {
      return p.getTsLength();
    }

    @Override
    boolean channelsFirst(KerasFlattenRnnPreprocessor p) {
      return true;
    }

    @Override
    void setChannels(KerasFlattenRnnPreprocessor p, int channels) {
      p.setDepth(channels);
    }
  }

  /** {@code FeedForwardToCnnPreProcessor}: units into [C, H, W], channels first. */
  static final class FeedForwardToCnn extends Unflatten<FeedForwardToCnnPreProcessor> {
    @Override
    boolean passesShapedInput() {
      return true;
    }

    @Override
    public Class<FeedForwardToCnnPreProcessor> type() {
      return FeedForwardToCnnPreProcessor.class;
    }

    @Override
    long channels(FeedForwardToCnnPreProcessor p) {
      return p.getNumChannels();
    }

    @Override
    long area(FeedForwardToCnnPreProcessor p) {
      return p.getInputHeight() * p.getInputWidth();
    }

    @Override
    boolean channelsFirst(FeedForwardToCnnPreProcessor p) {
      return true;
    }

    @Override
    void setChannels(FeedForwardToCnnPreProcessor p, int channels) {
      p.setNumChannels(channels);
    }
  }

  /** {@code RnnToCnnPreProcessor}: each time step's features into [C, H, W], channels first. */
  static final class RnnToCnn extends Unflatten<RnnToCnnPreProcessor> {
    @Override
    public Class<RnnToCnnPreProcessor> type() {
      return RnnToCnnPreProcessor.class;
    }

    @Override
    long channels(RnnToCnnPreProcessor p) {
      return p.getNumChannels();
    }

    @Override
    long area(RnnToCnnPreProcessor p) {
      return (long) p.getInputHeight() * p.getInputWidth();
    }

    @Override
    boolean channelsFirst(RnnToCnnPreProcessor p) {
      return true;
    }

    @Override
    void setChannels(RnnToCnnPreProcessor p, int channels) {
      p.setNumChannels(channels);
      setProduct(p, channels * p.getInputHeight() * p.getInputWidth());
    }
  }

  /** {@code FeedForwardToCnn3DPreProcessor}: NCDHW channels first, NDHWC channels last. */
  static final class FeedForwardToCnn3D extends Unflatten<FeedForwardToCnn3DPreProcessor> {
    @Override
    boolean passesShapedInput() {
      return true;
    }

    @Override
    public Class<FeedForwardToCnn3DPreProcessor> type() {
      return FeedForwardToCnn3DPreProcessor.class;
    }

    @Override
    long channels(FeedForwardToCnn3DPreProcessor p) {
      return p.getNumChannels();
    }

    @Override
    long area(FeedForwardToCnn3DPreProcessor p) {
      return (long) p.getInputDepth() * p.getInputHeight() * p.getInputWidth();
    }

    @Override
    boolean channelsFirst(FeedForwardToCnn3DPreProcessor p) {
      return p.isNCDHW();
    }

    @Override
    void setChannels(FeedForwardToCnn3DPreProcessor p, int channels) {
      p.setNumChannels(channels);
    }
  }

  /**
   * CnnToRnn and RnnToCnn cache {@code numChannels * height * width} in a private field that
   * their setters do not update (DL4J 1.0.0-M2.1), and reshape with it: set it too.
   */
  private static void setProduct(InputPreProcessor pre, long product) {
    try {
      java.lang.reflect.Field field = pre.getClass().getDeclaredField("product");
      field.setAccessible(true);
      if (field.getType() == int.class) {
        field.setInt(pre, Math.toIntExact(product));
      } else {
        field.setLong(pre, product);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot resize " + pre.getClass().getSimpleName() + ": its cached size field 'product' is"
              + " not where DL4J 1.0.0-M2.1 keeps it (" + e + "); check the DL4J version", e);
    }
  }
}
