package org.depprune.layers;

import org.deeplearning4j.nn.conf.InputPreProcessor;

/**
 * What DepPrune knows about one DL4J input preprocessor type: which producer channel every
 * feature it outputs comes from, and how to resize it when producer channels are removed.
 */
public interface PreprocessorPruner<T extends InputPreProcessor> {
  /** The exact preprocessor class this handles. */
  Class<T> type();

  /** The slot of every feature the preprocessor outputs, given the producer's channel slots. */
  int[] map(T preProcessor, int[] producerSlots);

  /** Sets the preprocessor's channel count on a clone after pruning. */
  void resize(T preProcessor, int[] keepProducer);
}
