package org.depprune.graph;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.CapsuleStrengthLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocallyConnected1D;
import org.deeplearning4j.nn.conf.layers.LocallyConnected2D;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Pooling1D;
import org.deeplearning4j.nn.conf.layers.Pooling2D;
import org.deeplearning4j.nn.conf.layers.PrimaryCapsules;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SpaceToBatchLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding3DLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Fixtures for volumes (3D convolutions and their shape layers), locally connected layers, the
 * exact subclasses {@code Convolution2D}/{@code Convolution1D}/{@code Pooling2D}/{@code Pooling1D},
 * and miscellany (space-to-batch, element-wise multiplication, autoencoder).
 */
final class VolumeFixtures {
  private VolumeFixtures() {}

  static java.util.List<Fixtures.Fixture> all() {
    return java.util.List.of(volume(), volumeChannelsLast(), locallyConnected2d(), locallyConnected1d(),
        subclasses2d(), misc(), capsules());
  }

  private static INDArray input(long... shape) {
    return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(11), shape);
  }

  private static GraphBuilder graph(InputType input) {
    return new NeuralNetConfiguration.Builder()
        .seed(7)
        .weightInit(WeightInit.XAVIER)
        .convolutionMode(ConvolutionMode.Same)
        .graphBuilder()
        .addInputs("in")
        .setInputTypes(input);
  }


  private static OutputLayer output(int classes) {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nOut(classes).activation(Activation.SOFTMAX).build();
  }

  private static Convolution3D conv3d(int out, Convolution3D.DataFormat format) {
    return new Convolution3D.Builder(3, 3, 3).nOut(out).dataFormat(format)
        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build();
  }

  private static GlobalPoolingLayer gap() {
    return new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
  }

  /**
   * NCDHW: conv3d, 3D max pool, 3D upsampling, zero padding then cropping, conv3d, transposed
   * conv3d, conv3d, global pooling, output.
   */
  static Fixtures.Fixture volume() {
    Convolution3D.DataFormat f = Convolution3D.DataFormat.NCDHW;
    GraphBuilder b = graph(InputType.convolutional3D(f, 4, 4, 4, 2));
    b.addLayer("c1", conv3d(4, f), "in")
        .addLayer("pool", new Subsampling3DLayer.Builder(2, 2, 2).stride(2, 2, 2).poolingType(PoolingType.MAX).build(), "c1")
        .addLayer("up", new Upsampling3D.Builder(2).build(), "pool")
        .addLayer("pad", new ZeroPadding3DLayer.Builder(1, 1, 1).build(), "up")
        .addLayer("crop", new Cropping3D.Builder(1, 1, 1).build(), "pad")
        .addLayer("c2", conv3d(5, f), "crop")
        .addLayer("de", new Deconvolution3D.Builder().kernelSize(2, 2, 2).stride(2, 2, 2).nOut(3)
            .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "c2")
        .addLayer("c3", conv3d(3, f), "de")
        .addLayer("gap", gap(), "c3")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixtures.Fixture("volume-ncdhw", Fixtures.init(b), input(2, 2, 4, 4, 4));
  }

  /** NDHWC: conv3d, transposed conv3d, conv3d into a per-voxel 3D loss layer. */
  static Fixtures.Fixture volumeChannelsLast() {
    Convolution3D.DataFormat f = Convolution3D.DataFormat.NDHWC;
    GraphBuilder b = graph(InputType.convolutional3D(f, 3, 3, 3, 2));
    b.addLayer("c1", conv3d(4, f), "in")
        .addLayer("de", new Deconvolution3D.Builder().kernelSize(2, 2, 2).stride(2, 2, 2).nOut(3).dataFormat(f)
            .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "c1")
        .addLayer("c2", conv3d(2, f), "de")
        .addLayer("out", new Cnn3DLossLayer.Builder(f).lossFunction(LossFunctions.LossFunction.MSE)
            .activation(Activation.IDENTITY).build(), "c2")
        .setOutputs("out");
    return new Fixtures.Fixture("volume-ndhwc", Fixtures.init(b), input(2, 3, 3, 3, 2));
  }

  /** conv, locally connected 2D, conv, global pooling, output. */
  static Fixtures.Fixture locallyConnected2d() {
    GraphBuilder b = graph(InputType.convolutional(5, 5, 2));
    b.addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).build(), "in")
        .addLayer("lc", new LocallyConnected2D.Builder().kernelSize(2, 2).nOut(3)
            .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "a")
        .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH).build(), "lc")
        .addLayer("gap", gap(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    ComputationGraph net = Fixtures.init(b);
    net.getLayer("lc").getParam("b").assign(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(2), 1, 3));
    return new Fixtures.Fixture("locally-connected-2d", net, input(2, 2, 5, 5));
  }

  /** Convolution1D (the subclass), locally connected 1D, cropping, Pooling1D, conv1d, pooling, output. */
  static Fixtures.Fixture locallyConnected1d() {
    Convolution1D first = new Convolution1D();
    first.setKernelSize(new int[] {3, 1});
    first.setStride(new int[] {1, 1});
    first.setPadding(new int[] {0, 0});
    first.setDilation(new int[] {1, 1});
    first.setConvolutionMode(ConvolutionMode.Same);
    first.setNOut(4);
    first.setActivationFn(Activation.TANH.getActivationFunction());
    Pooling1D pool = new Pooling1D();
    pool.setKernelSize(new int[] {2, 1});
    pool.setStride(new int[] {2, 1});
    pool.setPadding(new int[] {0, 0});
    pool.setDilation(new int[] {1, 1});
    pool.setPoolingType(PoolingType.MAX);
    GraphBuilder b = graph(InputType.recurrent(3, 10));
    b.addLayer("a", first, "in")
        .addLayer("lc", new LocallyConnected1D.Builder().kernelSize(3).nOut(4)
            .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build(), "a")
        .addLayer("crop", new Cropping1D.Builder(1, 1).build(), "lc")
        .addLayer("pool", pool, "crop")
        .addLayer("c", new Convolution1DLayer.Builder(3).nOut(3).activation(Activation.TANH).build(), "pool")
        .addLayer("gap", gap(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixtures.Fixture("locally-connected-1d", Fixtures.init(b), input(2, 3, 10));
  }

  /** Convolution2D and Pooling2D (the subclasses), space-to-batch, conv, pooling, output. */
  static Fixtures.Fixture subclasses2d() {
    Convolution2D first = new Convolution2D();
    first.setKernelSize(new int[] {3, 3});
    first.setStride(new int[] {1, 1});
    first.setPadding(new int[] {0, 0});
    first.setDilation(new int[] {1, 1});
    first.setConvolutionMode(ConvolutionMode.Same);
    first.setCnn2dDataFormat(CNN2DFormat.NCHW);
    first.setNOut(4);
    first.setActivationFn(Activation.TANH.getActivationFunction());
    Pooling2D pool = new Pooling2D();
    pool.setKernelSize(new int[] {2, 2});
    pool.setStride(new int[] {2, 2});
    pool.setPadding(new int[] {0, 0});
    pool.setDilation(new int[] {1, 1});
    pool.setPoolingType(PoolingType.MAX);
    pool.setCnn2dDataFormat(CNN2DFormat.NCHW);
    GraphBuilder b = graph(InputType.convolutional(8, 8, 2));
    b.addLayer("a", first, "in")
        .addLayer("pool", pool, "a")
        .addLayer("s2b", new SpaceToBatchLayer.Builder(new int[] {2, 2}).build(), "pool")
        .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.TANH).build(), "s2b")
        .addLayer("gap", gap(), "c")
        .addLayer("out", output(2), "gap")
        .setOutputs("out");
    return new Fixtures.Fixture("conv2d-pooling2d-subclasses", Fixtures.init(b), input(2, 2, 8, 8));
  }

  /** dense, element-wise multiplication, autoencoder, dense, output. */
  static Fixtures.Fixture misc() {
    GraphBuilder b = graph(InputType.feedForward(4));
    b.addLayer("d", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("ewm", new ElementWiseMultiplicationLayer.Builder().nOut(5).activation(Activation.TANH).build(), "d")
        .addLayer("ae", new AutoEncoder.Builder().nOut(4).activation(Activation.TANH).build(), "ewm")
        .addLayer("e", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "ae")
        .addLayer("out", output(2), "e")
        .setOutputs("out");
    ComputationGraph net = Fixtures.init(b);
    var random = Nd4j.getRandomFactory().getNewRandomInstance(4);
    net.getLayer("ewm").paramTable().values().forEach(p -> p.assign(Nd4j.rand(random, p.shape()).addi(0.5)));
    return new Fixtures.Fixture("misc-ewm-autoencoder", net, input(3, 4));
  }

  /** conv, primary capsules, capsule layer, capsule strengths, output: only the conv's filters prune. */
  static Fixtures.Fixture capsules() {
    GraphBuilder b = graph(InputType.convolutional(6, 6, 1));
    b.addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.TANH).build(), "in")
        .addLayer("caps", new PrimaryCapsules.Builder(3, 2).kernelSize(3, 3).stride(1, 1)
            .convolutionMode(ConvolutionMode.Truncate).build(), "a")
        .addLayer("routing", new CapsuleLayer.Builder(3, 4, 2).build(), "caps")
        .addLayer("strength", new CapsuleStrengthLayer.Builder().build(), "routing")
        .addLayer("out", output(2), "strength")
        .setOutputs("out");
    ComputationGraph net = Fixtures.init(b);
    net.getLayer("caps").getParam("bias").assign(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(6), net.getLayer("caps").getParam("bias").shape()));
    return new Fixtures.Fixture("primary-capsules", net, input(2, 1, 6, 6));
  }
}
