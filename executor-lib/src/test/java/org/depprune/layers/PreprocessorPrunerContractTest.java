package org.depprune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.*;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered {@link PreprocessorPruner} keeps: it maps a producer of the
 * configured width to features whose slots are the producer's, refuses other widths, and after a
 * producer channel is removed its resized clone maps the kept producer channels to exactly the
 * features {@link PreprocessorPruner#keptOutput} says survive.
 */
class PreprocessorPrunerContractTest {
  private static final PrunerRegistry REGISTRY = PrunerRegistry.defaults();

  /** A sample preprocessor with its producer's width and its output width. */
  record Case(InputPreProcessor pre, int producer, int features) {
    @Override
    public String toString() {
      return pre.getClass().getSimpleName();
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case(new CnnToFeedForwardPreProcessor(2, 3, 4), 4, 24),
        new Case(new TensorFlowCnnToFeedForwardPreProcessor(2, 3, 4), 4, 24),
        new Case(new CnnToRnnPreProcessor(2, 3, 4), 4, 24),
        new Case(new Cnn3DToFeedForwardPreProcessor(2, 1, 3, 4, false), 4, 24),
        new Case(new KerasFlattenRnnPreprocessor(4, 5), 4, 20),
        new Case(new FeedForwardToCnnPreProcessor(2, 3, 4), 24, 4),
        new Case(new RnnToCnnPreProcessor(2, 3, 4), 24, 4),
        new Case(new FeedForwardToCnn3DPreProcessor(1, 2, 3, 4, false), 24, 4),
        new Case(new ReshapePreprocessor(new long[] {12}, new long[] {2, 2, 3}, false), 12, 3),
        new Case(new RnnToFeedForwardPreProcessor(), 5, 5),
        new Case(new FeedForwardToRnnPreProcessor(), 5, 5),
        new Case(new ComposableInputPreProcessor(
            new FeedForwardToCnnPreProcessor(2, 3, 4), new CnnToFeedForwardPreProcessor(2, 3, 4)), 24, 24));
  }

  static Stream<Case> caseStream() {
    return cases().stream();
  }

  @Test
  void everyRegisteredPrunerHasACase() {
    Set<Class<?>> covered = cases().stream().map(c -> c.pre().getClass()).collect(Collectors.toSet());
    assertEquals(REGISTRY.preprocessorTypes(), covered);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caseStream")
  void keepsTheContract(Case c) {
    PreprocessorPruner<InputPreProcessor> pruner = REGISTRY.preprocessor(c.pre()).orElseThrow();
    assertEquals(c.pre().getClass(), pruner.type());

    Slots slots = new Slots();
    int[] producer = slots.fresh(c.producer());
    int[] features = pruner.map(c.pre(), producer, slots);
    assertEquals(c.features(), features.length, c + ": output width");
    Set<Integer> producerRoots = Arrays.stream(producer).map(slots::find).boxed().collect(Collectors.toSet());
    assertTrue(Arrays.stream(features).allMatch(f -> producerRoots.contains(slots.find(f))), c + ": features come from the producer");

    if (c.producer() > 1 && !(c.pre() instanceof RnnToFeedForwardPreProcessor) && !(c.pre() instanceof FeedForwardToRnnPreProcessor)) {
      Slots other = new Slots();
      assertThrows(IllegalArgumentException.class, () -> pruner.map(c.pre(), other.fresh(c.producer() + 1), other));
    }

    // Remove the producer's first position and everything coupled to it.
    int removedRoot = slots.find(producer[0]);
    int[] keepProducer = IntStream.range(0, producer.length).filter(p -> slots.find(producer[p]) != removedRoot).toArray();
    int[] keepFeatures = IntStream.range(0, features.length).filter(p -> slots.find(features[p]) != removedRoot).toArray();
    assertTrue(keepFeatures.length < features.length, c + ": a feature is removed");
    assertArrayEquals(keepFeatures, pruner.keptOutput(c.pre(), keepProducer), c + ": keptOutput");

    InputPreProcessor resized = c.pre().clone();
    String before = c.pre().toString();
    pruner.resize(resized, keepProducer);
    assertEquals(before, c.pre().toString(), c + ": the original is untouched");
    Slots after = new Slots();
    assertEquals(keepFeatures.length, pruner.map(resized, after.fresh(keepProducer.length), after).length,
        c + ": the resized preprocessor maps the kept producer channels to the kept features");
  }
}
