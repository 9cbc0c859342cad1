package org.depprune.layers;

import org.deeplearning4j.nn.conf.InputPreProcessor;

/** Preprocessors that change an activation's layout but keep one feature per channel. */
final class IdentityPreprocessorPruner<T extends InputPreProcessor> implements PreprocessorPruner<T> {
  private final Class<T> type;

  IdentityPreprocessorPruner(Class<T> type) {
    this.type = type;
  }

  @Override
  public Class<T> type() {
    return type;
  }

  @Override
  public int[] map(T preProcessor, int[] producerSlots, Slots slots) {
    return producerSlots;
  }

  @Override
  public void resize(T preProcessor, int[] keepProducer) {}

  @Override
  public int[] keptOutput(T preProcessor, int[] keepProducer) {
    return keepProducer;
  }
}
