package org.depprune.graph;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.L2Vertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PoolHelperVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.Cnn3DToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.CnnToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnn3DPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
import org.deeplearning4j.preprocessors.ReshapePreprocessor;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Networks that reshape between dense units and channels, by preprocessors and vertices. */
final class ReshapeFixtures {
  private ReshapeFixtures() {}

  static java.util.List<Fixtures.Fixture> all() {
    return java.util.List.of(
        decoder(), reshapeVertex('c'), reshapeVertex('f'), preprocessorVertex(), rnnCnnRnn(),
        composed("composed-cnn3d-ncdhw", new FeedForwardToCnn3DPreProcessor(1, 2, 2, 3, true),
            new Cnn3DToFeedForwardPreProcessor(1, 2, 2, 3, true)),
        composed("composed-cnn3d-ndhwc", new FeedForwardToCnn3DPreProcessor(1, 2, 2, 3, false),
            new Cnn3DToFeedForwardPreProcessor(1, 2, 2, 3, false)),
        composed("composed-tensorflow-flatten", new FeedForwardToCnnPreProcessor(2, 2, 3),
            new TensorFlowCnnToFeedForwardPreProcessor(2, 2, 3)),
        composed("composed-cnn-flatten", new FeedForwardToCnnPreProcessor(2, 2, 3),
            new CnnToFeedForwardPreProcessor(2, 2, 3)),
        kerasFlattenRnn(), kerasReshape(), stackUnstack(), poolHelper(), l2());
  }

  private static INDArray input(long... shape) {
    return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(13), shape);
  }

  private static NeuralNetConfiguration.Builder base() {
    return new NeuralNetConfiguration.Builder().seed(5).weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same);
  }

  private static DenseLayer dense(int in, int out) {
    return new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.TANH).build();
  }

  private static OutputLayer output(int in, int classes) {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(in).nOut(classes).activation(Activation.SOFTMAX).build();
  }

  private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }


  /**
   * A decoder: dense (4 channels of 3x3 units) reshaped by a FeedForwardToCnnPreProcessor,
   * transposed conv, conv, global pooling, output (MultiLayerNetwork).
   */
  static Fixtures.Fixture decoder() {
    MultiLayerConfiguration conf = base().list()
        .layer(new DenseLayer.Builder().name("dense").nIn(5).nOut(4 * 3 * 3).activation(Activation.TANH).build())
        .layer(new Deconvolution2D.Builder(2, 2).name("deconv").stride(2, 2).nIn(4).nOut(3).activation(Activation.TANH).build())
        .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nIn(3).nOut(2).activation(Activation.TANH).build())
        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out")
            .nIn(2).nOut(2).activation(Activation.SOFTMAX).build())
        .inputPreProcessor(1, new FeedForwardToCnnPreProcessor(3, 3, 4))
        .build();
    return new Fixtures.Fixture("decoder", init(conf), input(3, 5));
  }

  /**
   * dense (4 channels of 2x2 units), ReshapeVertex to [N, 4, 2, 2] in {@code order}, conv,
   * pooling, output. In 'c' order channel c is units 4c..4c+3, in 'f' order units c, c+4, ...
   */
  static Fixtures.Fixture reshapeVertex(char order) {
    GraphBuilder b = base().graphBuilder().addInputs("in");
    b.addLayer("a", dense(5, 16), "in")
        .addVertex("reshape", new ReshapeVertex(order, new int[] {-1, 4, 2, 2}, null), "a")
        .addLayer("c", new ConvolutionLayer.Builder(2, 2).nIn(4).nOut(3).activation(Activation.TANH).build(), "reshape")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "c")
        .addLayer("out", output(3, 2), "gap")
        .setOutputs("out");
    return new Fixtures.Fixture("reshape-vertex-" + order, Fixtures.init(b), input(3, 5));
  }

  /** dense, a PreprocessorVertex wrapping FeedForwardToCnn into [3, 2, 2], conv, output. */
  static Fixtures.Fixture preprocessorVertex() {
    GraphBuilder b = base().graphBuilder().addInputs("in");
    b.addLayer("a", dense(5, 12), "in")
        .addVertex("image", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(2, 2, 3)), "a")
        .addLayer("c", new ConvolutionLayer.Builder(2, 2).nIn(3).nOut(3).activation(Activation.TANH).build(), "image")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(3, 2), "gap")
        .setOutputs("out");
    return new Fixtures.Fixture("preprocessor-vertex", Fixtures.init(b), input(3, 5));
  }

  /** LSTM, each step's units as [2, 2, 2] (RnnToCnn), conv, back to a sequence (CnnToRnn). */
  static Fixtures.Fixture rnnCnnRnn() {
    MultiLayerConfiguration conf = base().list()
        .layer(new LSTM.Builder().nIn(3).nOut(8).activation(Activation.TANH).build())
        .layer(new ConvolutionLayer.Builder(2, 2).nIn(2).nOut(3).activation(Activation.TANH).build())
        .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .inputPreProcessor(1, new RnnToCnnPreProcessor(2, 2, 2))
        .inputPreProcessor(2, new CnnToRnnPreProcessor(2, 2, 3))
        .build();
    return new Fixtures.Fixture("rnn-cnn-rnn", init(conf), input(2, 3, 4));
  }

  /** dense (12 units: 3 channels), two composed reshapes back to 12 features, dense, output. */
  static Fixtures.Fixture composed(String name, InputPreProcessor first, InputPreProcessor second) {
    MultiLayerConfiguration conf = base().list()
        .layer(dense(5, 12))
        .layer(dense(12, 4))
        .layer(output(4, 2))
        .inputPreProcessor(1, new ComposableInputPreProcessor(first, second))
        .build();
    return new Fixtures.Fixture(name, init(conf), input(3, 5));
  }

  /** LSTM (3 units over 4 steps) flattened as Keras does, dense, output. */
  static Fixtures.Fixture kerasFlattenRnn() {
    MultiLayerConfiguration conf = base().list()
        .layer(new LSTM.Builder().nIn(2).nOut(3).activation(Activation.TANH).build())
        .layer(dense(12, 4))
        .layer(output(4, 2))
        .inputPreProcessor(1, new KerasFlattenRnnPreprocessor(3, 4))
        .build();
    return new Fixtures.Fixture("keras-flatten-rnn", init(conf), input(2, 2, 4));
  }

  /**
   * Keras's Dense then Reshape((2, 2, 3)) then Conv2D, channels last: dense (12 units), a
   * ReshapePreprocessor to an NHWC image, NHWC conv, NHWC flatten, output.
   */
  static Fixtures.Fixture kerasReshape() {
    MultiLayerConfiguration conf = base().list()
        .layer(new DenseLayer.Builder().name("dense").nIn(5).nOut(12).activation(Activation.TANH).build())
        .layer(new ConvolutionLayer.Builder(2, 2).name("conv").nIn(3).nOut(4)
            .dataFormat(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC).activation(Activation.TANH).build())
        .layer(output(2 * 2 * 4, 2))
        .inputPreProcessor(1, new ReshapePreprocessor(new long[] {12}, new long[] {2, 2, 3}, false))
        .inputPreProcessor(2, new CnnToFeedForwardPreProcessor(2, 2, 4, org.deeplearning4j.nn.conf.CNN2DFormat.NHWC))
        .build();
    return new Fixtures.Fixture("keras-reshape-nhwc", init(conf), input(3, 5));
  }

  /** Two dense layers stacked along the batch, unstacked into two dense heads, merged. */
  static Fixtures.Fixture stackUnstack() {
    GraphBuilder b = base().graphBuilder().addInputs("in");
    b.addLayer("a", dense(4, 6), "in")
        .addLayer("b", dense(4, 6), "in")
        .addVertex("stack", new StackVertex(), "a", "b")
        .addVertex("u0", new UnstackVertex(0, 2), "stack")
        .addVertex("u1", new UnstackVertex(1, 2), "stack")
        .addLayer("c", dense(6, 3), "u0")
        .addLayer("d", dense(6, 3), "u1")
        .addVertex("merge", new MergeVertex(), "c", "d")
        .addLayer("out", output(6, 2), "merge")
        .setOutputs("out");
    return new Fixtures.Fixture("stack-unstack", Fixtures.init(b), input(3, 4));
  }

  /** conv, PoolHelperVertex (drops the first row and column), conv, pooling, output. */
  static Fixtures.Fixture poolHelper() {
    GraphBuilder b = base().graphBuilder().addInputs("in");
    b.addLayer("a", new ConvolutionLayer.Builder(2, 2).nIn(2).nOut(4).activation(Activation.TANH).build(), "in")
        .addVertex("helper", new PoolHelperVertex(), "a")
        .addLayer("c", new ConvolutionLayer.Builder(2, 2).nIn(4).nOut(3).activation(Activation.TANH).build(), "helper")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c")
        .addLayer("out", output(3, 2), "gap")
        .setOutputs("out");
    return new Fixtures.Fixture("pool-helper", Fixtures.init(b), input(2, 2, 4, 4));
  }

  /** Two dense embeddings compared by an L2Vertex, merged with a dense head, output. */
  static Fixtures.Fixture l2() {
    GraphBuilder b = base().graphBuilder().addInputs("in");
    b.addLayer("a", dense(4, 6), "in")
        .addLayer("b", dense(4, 6), "in")
        .addVertex("dist", new L2Vertex(), "a", "b")
        .addLayer("h", dense(6, 2), "a")
        .addVertex("merge", new MergeVertex(), "dist", "h")
        .addLayer("out", output(3, 2), "merge")
        .setOutputs("out");
    return new Fixtures.Fixture("l2", Fixtures.init(b), input(3, 4));
  }
}
