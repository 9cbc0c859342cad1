package org.depprune.train;

import java.util.ArrayList;
import java.util.List;
import org.depprune.metrics.ComputeLock;
import org.depprune.network.Network;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fits a network epoch by epoch, recording each epoch's mean training loss. */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private Trainer() {}

  /**
   * Trains {@code net} for {@code epochs} passes over {@code data} (reset before each pass) and
   * returns the mean mini-batch loss of each pass. The network's epoch counter advances once per
   * pass, so epoch-based learning-rate schedules apply. Each minibatch's step holds
   * {@link ComputeLock}'s shared side (loading the next batch does not), so a latency measurement
   * elsewhere in the JVM waits for the step in flight and the next step waits for the measurement.
   */
  public static List<Double> fit(Model model, DataSetIterator data, int epochs) {
    Network net = Network.of(model);
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be positive, found " + epochs);
    }
    List<Double> losses = new ArrayList<>(epochs);
    for (int epoch = 0; epoch < epochs; epoch++) {
      long start = System.nanoTime();
      data.reset();
      double sum = 0;
      long examples = 0;
      while (data.hasNext()) {
        DataSet batch = data.next();
        ComputeLock.shared(() -> net.fit(batch));
        long n = batch.numExamples();
        sum += net.score() * n;
        examples += n;
      }
      if (examples == 0) {
        throw new IllegalArgumentException("the training iterator yielded no examples");
      }
      net.incrementEpochCount();
      double loss = sum / examples;
      losses.add(loss);
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.info(
          "epoch {}/{}: loss {} ({} examples, {} s, {} examples/s)",
          epoch + 1, epochs, String.format("%.4f", loss), examples,
          String.format("%.1f", seconds), String.format("%.0f", examples / seconds));
    }
    return List.copyOf(losses);
  }
}
