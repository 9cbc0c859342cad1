package org.depprune.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * DepPrune's default model: a small residual CNN with batch norm for 28x28x1 images.
 *
 * <pre>
 * input 1x28x28
 * stem:   conv3x3(C)  bn relu            28x28
 * pool:   maxpool 2x2                    14x14
 * block1: conv3x3(C)  bn relu conv3x3(C)  bn  + pool  relu      (residual add)
 * down:   conv3x3(2C, stride 2) bn relu  7x7
 * block2: conv3x3(2C) bn relu conv3x3(2C) bn  + down  relu      (residual add)
 * flatten (2C*7*7) -> dense(D) relu, dropout -> softmax(classes)
 * </pre>
 *
 * The two residual adds couple channels across layers (the stem, {@code block1}'s second conv
 * and the dense layer's input after {@code down} all share channels with their add), which is
 * what makes dependency-aware pruning necessary; the flatten into the dense layer maps each
 * channel to a block of 7x7 dense inputs.
 */
public final class BaseModel {
  /** Vertex names that later code (and users' ignore lists) may refer to. */
  public static final String INPUT = "input";

  public static final String OUTPUT = "output";

  private BaseModel() {}

  /** Hyper-parameters of the base model; {@link #defaults()} gives the committed model's. */
  public record Spec(
      int width, int denseUnits, int numClasses, long seed, double learningRate, double lrDecay) {
    public Spec {
      if (width <= 0 || denseUnits <= 0) {
        throw new IllegalArgumentException(
            "width and dense units must be positive, found " + width + " and " + denseUnits);
      }
      if (numClasses < 2) {
        throw new IllegalArgumentException("need at least 2 classes, found " + numClasses);
      }
      if (!(learningRate > 0) || !(lrDecay > 0 && lrDecay <= 1)) {
        throw new IllegalArgumentException(
            "learning rate must be > 0 and its per-epoch decay in (0, 1], found " + learningRate
                + " and " + lrDecay);
      }
    }

    public static Spec defaults() {
      return new Spec(16, 128, 10, 42L, 2e-3, 0.8);
    }

    public Spec withSeed(long newSeed) {
      return new Spec(width, denseUnits, numClasses, newSeed, learningRate, lrDecay);
    }
  }

  /** The configuration of the model (weights are initialised from {@code spec.seed()}). */
  public static ComputationGraphConfiguration configuration(Spec spec) {
    return configuration(spec, CNN2DFormat.NCHW);
  }

  /**
   * The configuration with images in {@code format}: NHWC takes [n, 28, 28, 1] input and runs
   * every convolution, batch norm and pooling channels-last (BENCHMARKS.md compares the two).
   */
  public static ComputationGraphConfiguration configuration(Spec spec, CNN2DFormat format) {
    int c = spec.width();
    var graph =
        new NeuralNetConfiguration.Builder()
            .seed(spec.seed())
            .weightInit(WeightInit.RELU)
            .updater(
                new Adam(
                    new ExponentialSchedule(ScheduleType.EPOCH, spec.learningRate(), spec.lrDecay())))
            .convolutionMode(ConvolutionMode.Same)
            .graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(InputType.convolutional(28, 28, 1, format));

    convBnRelu(graph, "stem", c, 1, INPUT);
    graph.addLayer(
        "pool",
        new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
        "stem_relu");

    residualBlock(graph, "block1", c, "pool");
    convBnRelu(graph, "down", 2 * c, 2, "block1_relu");
    residualBlock(graph, "block2", 2 * c, "down_relu");

    graph
        .addLayer(
            "dense",
            new DenseLayer.Builder()
                .nOut(spec.denseUnits())
                .activation(Activation.RELU)
                .dropOut(0.5)
                .build(),
            "block2_relu")
        .addLayer(
            OUTPUT,
            new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(spec.numClasses())
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build(),
            "dense")
        .setOutputs(OUTPUT);
    return graph.build();
  }

  /** A new, initialised network of {@code spec}. */
  public static ComputationGraph create(Spec spec) {
    ComputationGraph net = new ComputationGraph(configuration(spec));
    net.init();
    return net;
  }

  private static void convBnRelu(
      ComputationGraphConfiguration.GraphBuilder graph,
      String name,
      int channels,
      int stride,
      String input) {
    graph
        .addLayer(name, conv(channels, stride), input)
        .addLayer(name + "_bn", new BatchNormalization.Builder().build(), name)
        .addLayer(name + "_relu", relu(), name + "_bn");
  }

  private static void residualBlock(
      ComputationGraphConfiguration.GraphBuilder graph, String name, int channels, String input) {
    convBnRelu(graph, name + "_conv1", channels, 1, input);
    graph
        .addLayer(name + "_conv2", conv(channels, 1), name + "_conv1_relu")
        .addLayer(name + "_bn2", new BatchNormalization.Builder().build(), name + "_conv2")
        .addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), input, name + "_bn2")
        .addLayer(name + "_relu", relu(), name + "_add");
  }

  private static ConvolutionLayer conv(int channels, int stride) {
    return new ConvolutionLayer.Builder(3, 3)
        .stride(stride, stride)
        .nOut(channels)
        .activation(Activation.IDENTITY)
        .build();
  }

  private static ActivationLayer relu() {
    return new ActivationLayer.Builder().activation(Activation.RELU).build();
  }
}
