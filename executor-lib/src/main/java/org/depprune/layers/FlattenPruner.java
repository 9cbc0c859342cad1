package org.depprune.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * Flatten from a conv stage into a dense layer. DL4J flattens NCHW activations channel-major, so
 * channel {@code c} owns the {@code H*W} consecutive features {@code c*H*W ...}; NHWC activations
 * are flattened position-major, so channel {@code c} owns features {@code c, c+C, c+2C, ...}.
 */
final class FlattenPruner implements PreprocessorPruner<CnnToFeedForwardPreProcessor> {
  @Override
  public Class<CnnToFeedForwardPreProcessor> type() {
    return CnnToFeedForwardPreProcessor.class;
  }

  @Override
  public int[] map(CnnToFeedForwardPreProcessor flatten, int[] producerSlots) {
    int channels = Math.toIntExact(flatten.getNumChannels());
    Widths.expect(channels, producerSlots, "CnnToFeedForwardPreProcessor with numChannels=" + channels);
    int area = Math.toIntExact(flatten.getInputHeight() * flatten.getInputWidth());
    int[] features = new int[channels * area];
    boolean channelsFirst = flatten.getFormat() != CNN2DFormat.NHWC;
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < area; p++) {
        features[channelsFirst ? c * area + p : p * channels + c] = producerSlots[c];
      }
    }
    return features;
  }

  @Override
  public void resize(CnnToFeedForwardPreProcessor flatten, int[] keepProducer) {
    flatten.setNumChannels(keepProducer.length);
  }
}
