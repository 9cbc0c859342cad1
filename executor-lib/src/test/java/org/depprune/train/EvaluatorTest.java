package org.depprune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.depprune.data.BatchIterator;
import org.depprune.data.Examples;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * {@link Evaluator#accuracy} feeds DL4J's {@code Evaluation} one batch at a time (so each batch can
 * hold the compute lock): it must give exactly what DL4J's evaluation over the whole iterator gives.
 */
class EvaluatorTest {
  /** 103 examples in batches of 10: the last batch is short. */
  private static final Examples HELD_OUT = TinyClassifier.blobs(103, 2);
  private static final Examples TRAIN = TinyClassifier.blobs(240, 1);

  @Test
  void accuracyOfAMultiLayerNetworkIsDl4jsOwn() {
    assertSameAsDl4j(trained(TinyClassifier.mlp(5)));
  }

  @Test
  void accuracyOfAComputationGraphIsDl4jsOwn() {
    assertSameAsDl4j(trained(TinyClassifier.graph(6)));
  }

  private static Model trained(Model net) {
    Trainer.fit(net, BatchIterator.shuffled(TRAIN, indices(TRAIN.size()), 16, 3), 2);
    return net;
  }

  private static void assertSameAsDl4j(Model net) {
    var data = BatchIterator.ordered(HELD_OUT, 10);
    double reference = ((NeuralNetwork) net).doEvaluation(data, new Evaluation())[0].accuracy();
    assertTrue(reference > 0 && reference < 1, "a discriminating case: some right, some wrong, found " + reference);
    assertEquals(reference, Evaluator.accuracy(net, data), 0.0);
    assertEquals(reference, Evaluator.accuracy(net, data), 0.0, "a second pass resets the iterator");
  }

  private static int[] indices(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }
}
