package org.depprune.layers;

import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;

/**
 * {@code ComposableInputPreProcessor}: its members applied in order, so its mapping is theirs
 * composed, and each member is resized with the positions its own input keeps. Members are
 * looked up in the registry this pruner belongs to.
 */
final class ComposablePruner implements PreprocessorPruner<ComposableInputPreProcessor> {
  private final PrunerRegistry registry;

  ComposablePruner(PrunerRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Class<ComposableInputPreProcessor> type() {
    return ComposableInputPreProcessor.class;
  }

  @Override
  public int[] map(ComposableInputPreProcessor composed, int[] producerSlots, Slots slots) {
    int[] features = producerSlots;
    for (InputPreProcessor member : composed.getInputPreProcessors()) {
      PreprocessorPruner<InputPreProcessor> pruner = member(member);
      int[] all = IntStream.range(0, features.length).toArray();
      try {
        pruner.keptOutput(member, all);
      } catch (UnsupportedOperationException e) {
        throw new Unmappable(e.getMessage());
      }
      features = pruner.map(member, features, slots);
    }
    return features;
  }

  @Override
  public void resize(ComposableInputPreProcessor composed, int[] keepProducer) {
    int[] keep = keepProducer;
    for (InputPreProcessor member : composed.getInputPreProcessors()) {
      PreprocessorPruner<InputPreProcessor> pruner = member(member);
      int[] next = pruner.keptOutput(member, keep);
      pruner.resize(member, keep);
      keep = next;
    }
  }

  @Override
  public int[] keptOutput(ComposableInputPreProcessor composed, int[] keepProducer) {
    int[] keep = keepProducer;
    for (InputPreProcessor member : composed.getInputPreProcessors()) {
      keep = member(member).keptOutput(member, keep);
    }
    return keep;
  }

  private PreprocessorPruner<InputPreProcessor> member(InputPreProcessor member) {
    return registry.preprocessor(member).orElseThrow(() -> new Unmappable(
        "its member " + member.getClass().getSimpleName() + " "
            + registry.refusal(member.getClass()).map(why -> "is not pruned: " + why)
                .orElse("has no PreprocessorPruner; register one with PrunerRegistry.register")));
  }

  /** The same pruner looking members up in {@code other}. */
  ComposablePruner boundTo(PrunerRegistry other) {
    return new ComposablePruner(other);
  }
}
