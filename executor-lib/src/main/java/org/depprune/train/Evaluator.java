package org.depprune.train;

import org.depprune.metrics.ComputeLock;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Accuracy and loss of a classifier on held-out data, in inference mode (no dropout). Each batch's
 * forward pass holds {@link ComputeLock}'s shared side, so a latency measurement elsewhere in the
 * JVM waits for it and it waits for the measurement; loading the next batch does not.
 */
public final class Evaluator {
  private Evaluator() {}

  /**
   * Classification accuracy, in {@code [0, 1]}, over one pass of {@code data}: DL4J's
   * {@code Evaluation}, fed one batch at a time, each under {@link ComputeLock#shared}.
   */
  public static double accuracy(Model model, DataSetIterator data) {
    Network net = Network.of(model);
    data.reset();
    Evaluation evaluation = new Evaluation();
    while (data.hasNext()) {
      DataSet batch = data.next();
      ComputeLock.shared(() -> net.evaluate(batch, evaluation));
    }
    return evaluation.accuracy();
  }

  /** The mean loss (including regularisation terms) over one pass of {@code data}. */
  public static double loss(Model model, DataSetIterator data) {
    Network net = Network.of(model);
    data.reset();
    double sum = 0;
    long examples = 0;
    while (data.hasNext()) {
      DataSet batch = data.next();
      sum += ComputeLock.shared(() -> net.score(batch)) * batch.numExamples();
      examples += batch.numExamples();
    }
    if (examples == 0) {
      throw new IllegalArgumentException("the evaluation iterator yielded no examples");
    }
    return sum / examples;
  }
}
