package org.depprune.metrics;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.depprune.network.Network;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput: examples per second of {@code fit} steps on one minibatch of random inputs
 * and one-hot labels, which costs what a finetune step on real data of that shape costs (the
 * arithmetic does not depend on the values). Trains the network it is given: pass a copy.
 */
public final class TrainingThroughput {
  private TrainingThroughput() {}

  /**
   * Throughput of training steps.
   *
   * @param examplesPerSecond over the timed steps
   * @param medianStepMillis the median step
   * @param batchSize examples per step
   * @param steps timed steps
   */
  public record Throughput(double examplesPerSecond, double medianStepMillis, int batchSize, int steps) {}

  /**
   * Times {@code steps} training steps of {@code net} on batches of {@code batchSize} examples of
   * {@code exampleShape}, after {@code warmup} untimed ones. The labels take the network's output
   * shape (one class per example, chosen by {@code seed}).
   */
  public static Throughput measure(Model net, long[] exampleShape, int batchSize, int warmup, int steps, long seed) {
    if (batchSize < 1 || warmup < 0 || steps < 1) {
      throw new IllegalArgumentException("batch size and steps must be >= 1 and warm-up >= 0, found "
          + batchSize + ", " + steps + " and " + warmup);
    }
    long[] shape = new long[exampleShape.length + 1];
    shape[0] = batchSize;
    System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
    Nd4j.getRandom().setSeed(seed);
    INDArray features = Nd4j.rand(DataType.FLOAT, shape);
    INDArray output = Network.of(net).output(features);
    if (output.rank() != 2) {
      throw new IllegalArgumentException("training throughput needs a classifier (one output per class), found an"
          + " output of shape " + Arrays.toString(output.shape()));
    }
    INDArray labels = Nd4j.zeros(DataType.FLOAT, output.shape());
    java.util.Random random = new java.util.Random(seed);
    for (int i = 0; i < batchSize; i++) {
      labels.putScalar(i, random.nextInt((int) output.size(1)), 1f);
    }
    DataSet batch = new DataSet(features, labels);
    Network network = Network.of(net);
    for (int i = 0; i < warmup; i++) {
      network.fit(batch);
    }
    double[] millis = new double[steps];
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      long t = System.nanoTime();
      network.fit(batch);
      millis[i] = (System.nanoTime() - t) / 1e6;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(millis);
    return new Throughput(batchSize * (double) steps / seconds, millis[steps / 2], batchSize, steps);
  }

}
