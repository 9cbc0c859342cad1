package org.depprune.train;

import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Accuracy and loss of a classifier on held-out data, in inference mode (no dropout). */
public final class Evaluator {
  private Evaluator() {}

  /** Classification accuracy, in {@code [0, 1]}, over one pass of {@code data}. */
  public static double accuracy(Model net, DataSetIterator data) {
    data.reset();
    return Network.of(net).evaluate(data).accuracy();
  }

  /** The mean loss (including regularisation terms) over one pass of {@code data}. */
  public static double loss(Model model, DataSetIterator data) {
    Network net = Network.of(model);
    data.reset();
    double sum = 0;
    long examples = 0;
    while (data.hasNext()) {
      DataSet batch = data.next();
      sum += net.score(batch) * batch.numExamples();
      examples += batch.numExamples();
    }
    if (examples == 0) {
      throw new IllegalArgumentException("the evaluation iterator yielded no examples");
    }
    return sum / examples;
  }
}
