package org.depprune.graph;

import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The parameter-free layers, vertices and output layers that pass channels through, in
 * networks of their own, so every type the registry prunes is in a dead-channel fixture
 * ({@link FixtureCoverageTest}). {@code LocalResponseNormalization} is not here: it normalises each
 * channel by its neighbours in channel order, so removing a channel changes which are neighbours,
 * and no pruning of it is exact.
 */
final class PassThroughFixtures {
  private PassThroughFixtures() {}

  static java.util.List<Fixtures.Fixture> all() {
    return java.util.List.of(image(), sequence());
  }

  /**
   * An image through padding, cropping, upsampling, dropout, L2 normalisation, scale and shift
   * into three outputs: a per-pixel loss layer, YOLO2's output and a loss layer after a dense one.
   */
  static Fixtures.Fixture image() {
    var b = Fixtures.graph(InputType.convolutional(6, 6, 2));
    b.addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).build(), "in")
        .addLayer("pad", new ZeroPaddingLayer.Builder(1, 1).build(), "c1")
        .addLayer("crop", new Cropping2D.Builder(1, 1).build(), "pad")
        .addLayer("up", new Upsampling2D.Builder(2).build(), "crop")
        .addLayer("drop", new DropoutLayer.Builder(0.5).build(), "up")
        .addVertex("l2n", new L2NormalizeVertex(new int[] {1}, 1e-8), "drop")
        .addVertex("scale", new ScaleVertex(2.0), "l2n")
        .addVertex("shift", new ShiftVertex(0.5), "scale")
        .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.IDENTITY).build(), "shift")
        .addLayer("pixels", new CnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build(), "c2")
        .addLayer("boxes", new ConvolutionLayer.Builder(1, 1).nOut(7).activation(Activation.IDENTITY).build(), "shift")
        .addLayer("yolo", new Yolo2OutputLayer.Builder().boundingBoxPriors(Nd4j.create(new double[][] {{1, 1}})).build(), "boxes")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "shift")
        .addLayer("d", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "gap")
        .addLayer("dense-out", new DenseLayer.Builder().nOut(3).activation(Activation.IDENTITY).build(), "d")
        .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).build(), "dense-out")
        .setOutputs("pixels", "yolo", "loss");
    return new Fixtures.Fixture("pass-through-image", Fixtures.init(b), Fixtures.input(2, 2, 6, 6));
  }

  /**
   * A sequence through 1D padding, pooling and upsampling, a dense layer on every step (DL4J's
   * RNN-to-feed-forward and back preprocessors) and an LSTM.
   */
  static Fixtures.Fixture sequence() {
    var b = Fixtures.graph(InputType.recurrent(3, 8));
    b.addLayer("c1", new Convolution1DLayer.Builder(3).nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("pad", new ZeroPadding1DLayer.Builder(1).build(), "c1")
        .addLayer("pool", new Subsampling1DLayer.Builder(PoolingType.MAX).kernelSize(2).stride(2).build(), "pad")
        .addLayer("up", new Upsampling1D.Builder(2).build(), "pool")
        .addLayer("d", new DenseLayer.Builder().nOut(6).activation(Activation.TANH).build(), "up")
        .addLayer("l", new LSTM.Builder().nOut(4).activation(Activation.TANH).build(), "d")
        .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build(), "l")
        .setOutputs("out");
    return new Fixtures.Fixture("pass-through-sequence", Fixtures.init(b), Fixtures.input(2, 3, 8));
  }
}
