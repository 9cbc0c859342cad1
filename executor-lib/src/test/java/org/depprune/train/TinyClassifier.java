package org.depprune.train;

import java.util.SplittableRandom;
import org.depprune.data.Examples;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A small real classification problem for tests that train and evaluate: overlapping Gaussian
 * blobs (one per class, so a network learns something but never everything) and a two-layer
 * perceptron for them, as a MultiLayerNetwork or a ComputationGraph. Everything is seeded.
 */
public final class TinyClassifier {
  public static final int FEATURES = 8;
  public static final int CLASSES = 3;

  private TinyClassifier() {}

  /**
   * {@code n} examples: class {@code i % CLASSES}, its centre plus unit Gaussian noise drawn from
   * {@code seed}. The centres are the same for every seed: one problem, many samples of it.
   */
  public static Examples blobs(int n, long seed) {
    SplittableRandom random = new SplittableRandom(42);
    double[][] centres = new double[CLASSES][FEATURES];
    for (double[] centre : centres) {
      for (int f = 0; f < FEATURES; f++) {
        centre[f] = random.nextDouble(-1, 1);
      }
    }
    java.util.Random noise = new java.util.Random(seed);
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[][] rows = new float[n][FEATURES];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      labels[i] = i % CLASSES;
      for (int f = 0; f < FEATURES; f++) {
        rows[i][f] = (float) (centres[labels[i]][f] + noise.nextGaussian());
      }
    }
    return new Examples(new long[] {FEATURES}, CLASSES, ids, labels, rows);
  }

  /** dense(16, tanh), softmax output, Adam. */
  public static MultiLayerNetwork mlp(long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(base(seed).list()
        .layer(new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build())
        .layer(output())
        .setInputType(InputType.feedForward(FEATURES))
        .build());
    net.init();
    return net;
  }

  /** The same layers as {@link #mlp}, as a ComputationGraph. */
  public static ComputationGraph graph(long seed) {
    ComputationGraph net = new ComputationGraph(base(seed).graphBuilder()
        .addInputs("in")
        .setInputTypes(InputType.feedForward(FEATURES))
        .addLayer("hidden", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build(), "in")
        .addLayer("out", output(), "hidden")
        .setOutputs("out")
        .build());
    net.init();
    return net;
  }

  private static NeuralNetConfiguration.Builder base(long seed) {
    return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.XAVIER).updater(new Adam(1e-2));
  }

  private static OutputLayer output() {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build();
  }
}
