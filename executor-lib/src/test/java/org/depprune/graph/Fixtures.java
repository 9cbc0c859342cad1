package org.depprune.graph;

import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** One tiny network per topology, with an input batch that fits it. */
final class Fixtures {
  private Fixtures() {}

  record Fixture(String name, Model net, INDArray input, org.depprune.layers.PrunerRegistry registry) {
    Fixture(String name, Model net, INDArray input) {
      this(name, net, input, org.depprune.layers.PrunerRegistry.defaults());
    }

    /** The graph of {@code net} (the fixture's or a copy of it) with the fixture's pruners. */
    DepGraph graph(Model net) {
      return DepGraph.builder(net).optRegistry(registry).build();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static java.util.List<Fixture> core() {
    return java.util.List.of(
        sequentialCnn(), mlp(), residual(), concat(), nestedConcat(), flatten(CNN2DFormat.NCHW),
        flatten(CNN2DFormat.NHWC), subset(), twoBranches(), twoOutputs(), depthwise(),
        separable(), deconvolution(), conv1d(), lstm(), simpleRnn(), embedding(), spaceToDepth(),
        RecurrentFixtures.biLstmClassifier(), RecurrentFixtures.biLstmLastStep(), RecurrentFixtures.biModes(), RecurrentFixtures.graves(), RecurrentFixtures.rnnVertices(), RecurrentFixtures.embeddingSequence(),
        centerLoss(), prelu());
  }

  static java.util.List<Fixture> all() {
    java.util.List<Fixture> all = new java.util.ArrayList<>(core());
    all.addAll(ReshapeFixtures.all());
    all.addAll(VolumeFixtures.all());
    all.addAll(AttentionFixtures.all());
    all.addAll(PassThroughFixtures.all());
    return java.util.List.copyOf(all);
  }

  static INDArray input(long... shape) {
    return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(11), shape);
  }

  static GraphBuilder graph(InputType input) {
    return new NeuralNetConfiguration.Builder()
        .seed(7)
        .weightInit(WeightInit.XAVIER)
        .convolutionMode(ConvolutionMode.Same)
        .graphBuilder()
        .addInputs("in")
        .setInputTypes(input);
  }

  private static ConvolutionLayer conv(int out) {
    return new ConvolutionLayer.Builder(3, 3).nOut(out).activation(Activation.TANH).build();
  }

  private static OutputLayer output(int classes) {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nOut(classes).activation(Activation.SOFTMAX).build();
  }

  static ComputationGraph init(GraphBuilder builder) {
    ComputationGraph net = new ComputationGraph(builder.build());
    net.init();
    return net;
  }

  /** conv, BN, relu, max pool, conv, flatten into dense, output (MultiLayerNetwork). */
  static Fixture sequentialCnn() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .weightInit(WeightInit.XAVIER)
            .convolutionMode(ConvolutionMode.Same)
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build())
            .layer(new BatchNormalization.Builder().build())
            .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
            .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).build())
            .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
            .layer(output(3))
            .setInputType(InputType.convolutional(8, 8, 1))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    randomiseBatchNorm(net.getLayer(1).paramTable());
    return new Fixture("sequential-cnn", net, input(4, 1, 8, 8));
  }

  /** dense, dense, output (MultiLayerNetwork). */
  static Fixture mlp() {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(4)
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(new DenseLayer.Builder().nIn(5).nOut(7).activation(Activation.TANH).build())
            .layer(new DenseLayer.Builder().nOut(6).activation(Activation.SIGMOID).build())
            .layer(output(3))
            .setInputType(InputType.feedForward(5))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return new Fixture("mlp", net, input(4, 5));
  }

  /** The base model at width 4: two residual adds and a flatten into dense. */
  static Fixture residual() {
    ComputationGraph net = BaseModel.create(new BaseModel.Spec(4, 8, 10, 5, 1e-3, 1.0));
    for (String bn : new String[] {"stem_bn", "block1_conv1_bn", "block1_bn2", "down_bn", "block2_conv1_bn", "block2_bn2"}) {
      randomiseBatchNorm(net.getLayer(bn).paramTable());
    }
    return new Fixture("residual", net, input(2, 1, 28, 28));
  }

  /** Two convs of unequal widths (3 and 5) concatenated, then a conv and global pooling. */
  static Fixture concat() {
    GraphBuilder b = graph(InputType.convolutional(6, 6, 2));
    b.addLayer("a", conv(3), "in")
        .addLayer("b", conv(5), "in")
        .addVertex("cat", new MergeVertex(), "a", "b")
        .addLayer("c", conv(4), "cat")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(3), "gap")
        .setOutputs("out");
    return new Fixture("concat", init(b), input(3, 2, 6, 6));
  }

  /** cat(cat(a, b), c) into a conv: each input owns an offset range of the outer concat. */
  static Fixture nestedConcat() {
    GraphBuilder b = graph(InputType.convolutional(5, 5, 1));
    b.addLayer("a", conv(2), "in")
        .addLayer("b", conv(3), "in")
        .addLayer("c", conv(4), "in")
        .addVertex("inner", new MergeVertex(), "a", "b")
        .addVertex("outer", new MergeVertex(), "inner", "c")
        .addLayer("d", conv(3), "outer")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "d")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixture("nested-concat", init(b), input(2, 1, 5, 5));
  }

  /** conv, conv, flatten into dense, in the given activation layout. */
  static Fixture flatten(CNN2DFormat format) {
    GraphBuilder b = graph(InputType.convolutional(4, 5, 2, format));
    b.addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(3).dataFormat(format).activation(Activation.TANH).build(), "in")
        .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(5).dataFormat(format).activation(Activation.TANH).build(), "c1")
        .addLayer("fc", new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), "c2")
        .addLayer("out", output(3), "fc")
        .setOutputs("out");
    long[] shape = format == CNN2DFormat.NCHW ? new long[] {2, 2, 4, 5} : new long[] {2, 4, 5, 2};
    return new Fixture("flatten-" + format.name().toLowerCase(), init(b), input(shape));
  }

  /** A subset vertex takes units 1..3 of a 6-unit dense layer. */
  static Fixture subset() {
    GraphBuilder b = graph(InputType.feedForward(4));
    b.addLayer("a", new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), "in")
        .addVertex("sub", new SubsetVertex(1, 3), "a")
        .addLayer("c", new DenseLayer.Builder().nOut(2).activation(Activation.TANH).build(), "sub")
        .addLayer("out", output(2), "c")
        .setOutputs("out");
    return new Fixture("subset", init(b), input(2, 4));
  }

  /** One conv feeding two branches that are added back together. */
  static Fixture twoBranches() {
    GraphBuilder b = graph(InputType.convolutional(5, 5, 2));
    b.addLayer("stem", conv(4), "in")
        .addLayer("left", conv(3), "stem")
        .addLayer("right", conv(3), "stem")
        .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "left", "right")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "sum")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixture("two-branches", init(b), input(2, 2, 5, 5));
  }

  /** A shared dense trunk with two output heads. */
  static Fixture twoOutputs() {
    GraphBuilder b = new NeuralNetConfiguration.Builder()
        .seed(9).weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("in").setInputTypes(InputType.feedForward(4));
    b.addLayer("trunk", new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), "in")
        .addLayer("head1", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "trunk")
        .addLayer("out1", output(2), "head1")
        .addLayer("out2", output(3), "trunk")
        .setOutputs("out1", "out2");
    return new Fixture("two-outputs", init(b), input(3, 4));
  }

  /** conv, depthwise conv with channel multiplier 2, conv. */
  static Fixture depthwise() {
    GraphBuilder b = graph(InputType.convolutional(5, 5, 2));
    b.addLayer("a", conv(4), "in")
        .addLayer("dw", new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).activation(Activation.TANH).build(), "a")
        .addLayer("c", conv(3), "dw")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixture("depthwise", init(b), input(2, 2, 5, 5));
  }

  /** conv, separable conv (multiplier 2), conv. */
  static Fixture separable() {
    GraphBuilder b = graph(InputType.convolutional(5, 5, 2));
    b.addLayer("a", conv(3), "in")
        .addLayer("sep", new SeparableConvolution2D.Builder(3, 3).depthMultiplier(2).nOut(5).activation(Activation.TANH).build(), "a")
        .addLayer("c", conv(3), "sep")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixture("separable", init(b), input(2, 2, 5, 5));
  }

  /** conv, transposed conv, conv. */
  static Fixture deconvolution() {
    GraphBuilder b = graph(InputType.convolutional(4, 4, 2));
    b.addLayer("a", conv(3), "in")
        .addLayer("up", new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(4).activation(Activation.TANH).build(), "a")
        .addLayer("c", conv(3), "up")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixture("deconvolution", init(b), input(2, 2, 4, 4));
  }

  /** Two 1D convolutions over a sequence, global pooling, output. */
  static Fixture conv1d() {
    GraphBuilder b = graph(InputType.recurrent(3, 7));
    b.addLayer("a", new Convolution1DLayer.Builder(3).nOut(4).activation(Activation.TANH).build(), "in")
        .addLayer("c", new Convolution1DLayer.Builder(3).nOut(5).activation(Activation.TANH).build(), "a")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixture("conv1d", init(b), input(2, 3, 7));
  }

  /** Two stacked LSTMs and a per-step output. */
  static Fixture lstm() {
    GraphBuilder b = graph(InputType.recurrent(3, 5));
    b.addLayer("l1", new LSTM.Builder().nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("l2", new LSTM.Builder().nOut(4).activation(Activation.TANH).build(), "l1")
        .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build(), "l2")
        .setOutputs("out");
    return new Fixture("lstm", init(b), input(2, 3, 5));
  }

  /** A simple RNN into an LSTM. */
  static Fixture simpleRnn() {
    GraphBuilder b = graph(InputType.recurrent(3, 4));
    b.addLayer("r", new SimpleRnn.Builder().nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("l", new LSTM.Builder().nOut(3).activation(Activation.TANH).build(), "r")
        .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build(), "l")
        .setOutputs("out");
    return new Fixture("simple-rnn", init(b), input(2, 3, 4));
  }

  /** An embedding of 6 symbols into 5 dimensions, then dense. */
  static Fixture embedding() {
    // No input types: DL4J would set the embedding's nIn (the vocabulary) to the input width, 1.
    GraphBuilder b = new NeuralNetConfiguration.Builder()
        .seed(9).weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("in");
    b.addLayer("emb", new EmbeddingLayer.Builder().nIn(6).nOut(5).activation(Activation.IDENTITY).build(), "in")
        .addLayer("d", new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).build(), "emb")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX).build(), "d")
        .setOutputs("out");
    return new Fixture("embedding", init(b), Nd4j.createFromArray(new float[][] {{0}, {3}, {5}}));
  }

  /** conv, space-to-depth (block 2) concatenated with a strided conv, as in YOLO2's passthrough. */
  static Fixture spaceToDepth() {
    GraphBuilder b = graph(InputType.convolutional(4, 4, 1));
    b.addLayer("a", conv(3), "in")
        .addLayer("s2d", new SpaceToDepthLayer.Builder(2, SpaceToDepthLayer.DataFormat.NCHW).build(), "a")
        .addLayer("b", new ConvolutionLayer.Builder(2, 2).stride(2, 2).nOut(2).activation(Activation.TANH).build(), "a")
        .addVertex("cat", new MergeVertex(), "s2d", "b")
        .addLayer("c", conv(3), "cat")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixture("space-to-depth", init(b), input(2, 1, 4, 4));
  }

  /** A dense layer into a center-loss output layer. */
  static Fixture centerLoss() {
    GraphBuilder b = new NeuralNetConfiguration.Builder()
        .seed(9).weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("in").setInputTypes(InputType.feedForward(4));
    b.addLayer("d", new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), "in")
        .addLayer("out", new CenterLossOutputLayer.Builder().nOut(3).activation(Activation.SOFTMAX).build(), "d")
        .setOutputs("out");
    return new Fixture("center-loss", init(b), input(3, 4));
  }

  /** conv, PReLU with a slope per channel (shared over height and width), conv. */
  static Fixture prelu() {
    GraphBuilder b = graph(InputType.convolutional(4, 4, 2));
    b.addLayer("a", conv(4), "in")
        .addLayer("act", new PReLULayer.Builder().inputShape(4, 4, 4).sharedAxes(2, 3).build(), "a")
        .addLayer("c", conv(3), "act")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    ComputationGraph net = init(b);
    net.getLayer("act").getParam("W").assign(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), net.getLayer("act").getParam("W").shape()));
    return new Fixture("prelu", net, input(2, 2, 4, 4));
  }

  /** Batch-norm statistics other than the initial 0 / 1, so that slicing them matters. */
  static void randomiseBatchNorm(java.util.Map<String, INDArray> params) {
    var random = Nd4j.getRandomFactory().getNewRandomInstance(5);
    params.forEach(
        (key, value) -> {
          INDArray noise = Nd4j.rand(random, value.shape());
          switch (key) {
            case "gamma", "var" -> value.assign(noise.addi(0.5));
            case "log10stdev" -> value.assign(noise.muli(0.4).subi(0.2));
            default -> value.assign(noise.subi(0.5));
          }
        });
  }
}
