package org.depprune.layers;

import org.deeplearning4j.nn.conf.InputPreProcessor;

/**
 * What DepPrune knows about one DL4J input preprocessor type: which producer channel every
 * feature it outputs comes from, and how to resize it when producer channels are removed.
 */
public interface PreprocessorPruner<T extends InputPreProcessor> {
  /** The exact preprocessor class this handles. */
  Class<T> type();

  /**
   * The slot of every feature the preprocessor outputs, given the producer's channel slots. A
   * reshape that makes one channel of several producer units (dense units into an image's
   * channels) joins those units' slots in {@code slots} and returns one slot per channel.
   *
   * @throws Unmappable where this configuration mixes channels, with the reason
   * @throws IllegalArgumentException where the producer's width does not fit the configuration
   */
  int[] map(T preProcessor, int[] producerSlots, Slots slots);

  /** Sets the preprocessor's channel count on a clone after pruning. */
  void resize(T preProcessor, int[] keepProducer);

  /**
   * The output positions that survive when the producer keeps {@code keepProducer}, computed
   * from the configuration before {@link #resize}: what the next member of a
   * {@code ComposableInputPreProcessor} keeps. Pruners that cannot tell throw.
   */
  default int[] keptOutput(T preProcessor, int[] keepProducer) {
    throw new UnsupportedOperationException(
        type().getSimpleName() + "'s pruner does not implement keptOutput, so it cannot be a"
            + " member of a ComposableInputPreProcessor; implement PreprocessorPruner.keptOutput");
  }
}
