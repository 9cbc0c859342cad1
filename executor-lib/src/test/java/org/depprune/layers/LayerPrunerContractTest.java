package org.depprune.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.AttentionVertex;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract every registered {@link LayerPruner} keeps: it handles exactly its type, refuses
 * inputs of the wrong width, and after removing channels its resized configuration and its sliced
 * parameters agree (every sliced parameter has the shape a fresh layer of the resized
 * configuration has), without touching the original parameters.
 */
class LayerPrunerContractTest {
  private static final PrunerRegistry REGISTRY = PrunerRegistry.defaults();

  /** A sample configuration of a type, with the widths of its inputs. */
  record Case(Object config, List<Integer> inputs) {
    @Override
    public String toString() {
      return config.getClass().getSimpleName();
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case(new ConvolutionLayer.Builder(3, 3).nIn(4).nOut(6).build(), List.of(4)),
        new Case(new Convolution1DLayer.Builder(3).nIn(4).nOut(6).build(), List.of(4)),
        new Case(new Deconvolution2D.Builder(2, 2).nIn(4).nOut(6).build(), List.of(4)),
        new Case(new DepthwiseConvolution2D.Builder(3, 3).nIn(4).depthMultiplier(2).build(), List.of(4)),
        new Case(new SeparableConvolution2D.Builder(3, 3).nIn(4).depthMultiplier(2).nOut(6).build(), List.of(4)),
        new Case(new DenseLayer.Builder().nIn(4).nOut(6).build(), List.of(4)),
        new Case(new OutputLayer.Builder().nIn(4).nOut(3).build(), List.of(4)),
        new Case(new RnnOutputLayer.Builder().nIn(4).nOut(3).build(), List.of(4)),
        new Case(new CenterLossOutputLayer.Builder().nIn(4).nOut(3).build(), List.of(4)),
        new Case(new LSTM.Builder().nIn(4).nOut(5).build(), List.of(4)),
        new Case(new SimpleRnn.Builder().nIn(4).nOut(5).build(), List.of(4)),
        new Case(new EmbeddingLayer.Builder().nIn(10).nOut(5).build(), List.of(1)),
        new Case(new BatchNormalization.Builder().nIn(5).nOut(5).build(), List.of(5)),
        new Case(new ActivationLayer.Builder().build(), List.of(5)),
        new Case(new DropoutLayer.Builder(0.5).nIn(5).nOut(5).build(), List.of(5)),
        new Case(new SubsamplingLayer.Builder().build(), List.of(5)),
        new Case(new Subsampling1DLayer.Builder().build(), List.of(5)),
        new Case(new GlobalPoolingLayer.Builder().build(), List.of(5)),
        new Case(new ZeroPaddingLayer.Builder(1, 1).build(), List.of(5)),
        new Case(new ZeroPadding1DLayer.Builder(1).build(), List.of(5)),
        new Case(new Cropping2D.Builder(1, 1).build(), List.of(5)),
        new Case(new Upsampling2D.Builder(2).build(), List.of(5)),
        new Case(new Upsampling1D.Builder(2).build(), List.of(5)),
        new Case(new LocalResponseNormalization.Builder().build(), List.of(5)),
        new Case(new PReLULayer.Builder().inputShape(5).build(), List.of(5)),
        new Case(new SpaceToDepthLayer.Builder(2, SpaceToDepthLayer.DataFormat.NCHW).build(), List.of(3)),
        new Case(new LossLayer.Builder().build(), List.of(3)),
        new Case(new CnnLossLayer.Builder().build(), List.of(3)),
        new Case(new Yolo2OutputLayer.Builder().boundingBoxPriors(Nd4j.create(new double[][] {{1, 1}})).build(), List.of(3)),
        new Case(new ScaleVertex(0.5), List.of(5)),
        new Case(new ShiftVertex(0.5), List.of(5)),
        new Case(new L2NormalizeVertex(), List.of(5)),
        new Case(new MergeVertex(), List.of(2, 3)),
        new Case(new ElementWiseVertex(ElementWiseVertex.Op.Add), List.of(4, 4)),
        new Case(new SubsetVertex(1, 3), List.of(6)),
        // Reshapes
        new Case(new org.deeplearning4j.nn.conf.graph.ReshapeVertex('c', new int[] {-1, 4, 2, 2}, null), List.of(16)),
        new Case(new org.deeplearning4j.nn.conf.graph.PreprocessorVertex(
            new org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor(2, 2, 3)), List.of(12)),
        new Case(new org.deeplearning4j.nn.conf.graph.StackVertex(), List.of(4, 4)),
        new Case(new org.deeplearning4j.nn.conf.graph.UnstackVertex(0, 2), List.of(5)),
        new Case(new org.deeplearning4j.nn.conf.graph.PoolHelperVertex(), List.of(5)),
        new Case(new org.deeplearning4j.nn.conf.graph.L2Vertex(), List.of(4, 4)),
        // Recurrent layers, wrappers and rnn vertices
        new Case(new GravesLSTM.Builder().nIn(4).nOut(5).build(), List.of(4)),
        new Case(new GravesBidirectionalLSTM.Builder().nIn(4).nOut(5).build(), List.of(4)),
        new Case(new Bidirectional(Bidirectional.Mode.CONCAT, new LSTM.Builder().nIn(4).nOut(5).build()), List.of(4)),
        new Case(new Bidirectional(Bidirectional.Mode.ADD, new SimpleRnn.Builder().nIn(4).nOut(5).build()), List.of(4)),
        new Case(new Bidirectional(Bidirectional.Mode.MUL, new GravesLSTM.Builder().nIn(4).nOut(5).build()), List.of(4)),
        new Case(new Bidirectional(Bidirectional.Mode.AVERAGE, new LSTM.Builder().nIn(4).nOut(5).build()), List.of(4)),
        new Case(new LastTimeStep(new LSTM.Builder().nIn(4).nOut(5).build()), List.of(4)),
        new Case(new MaskZeroLayer(new LSTM.Builder().nIn(4).nOut(5).build(), 0.0), List.of(4)),
        new Case(new TimeDistributed(new DenseLayer.Builder().nIn(4).nOut(5).build()), List.of(4)),
        new Case(new EmbeddingSequenceLayer.Builder().nIn(10).nOut(5).hasBias(true).build(), List.of(1)),
        new Case(new RnnLossLayer.Builder().build(), List.of(3)),
        new Case(new MaskLayer(), List.of(5)),
        new Case(new RepeatVector.Builder(3).nIn(5).nOut(5).build(), List.of(5)),
        new Case(new LastTimeStepVertex("in"), List.of(5)),
        new Case(new ReverseTimeSeriesVertex(), List.of(5)),
        new Case(new DuplicateToTimeSeriesVertex("in"), List.of(5)),
        // Volumes and miscellany:
        new Case(convolution2D(), List.of(4)),
        new Case(convolution1D(), List.of(4)),
        new Case(pooling(new Pooling2D(), new int[] {2, 2}), List.of(5)),
        new Case(pooling(new Pooling1D(), new int[] {2, 1}), List.of(5)),
        new Case(new Convolution3D.Builder(2, 2, 2).nIn(4).nOut(6).build(), List.of(4)),
        new Case(new Deconvolution3D.Builder().kernelSize(2, 2, 2).nIn(4).nOut(6).build(), List.of(4)),
        new Case(new Subsampling3DLayer.Builder(2, 2, 2).build(), List.of(5)),
        new Case(new Upsampling3D.Builder(2).build(), List.of(5)),
        new Case(new Cropping3D.Builder(1, 1, 1).build(), List.of(5)),
        new Case(new ZeroPadding3DLayer.Builder(1, 1, 1).build(), List.of(5)),
        new Case(new Cnn3DLossLayer.Builder(Convolution3D.DataFormat.NCDHW).build(), List.of(3)),
        new Case(new Cropping1D.Builder(1, 1).build(), List.of(5)),
        new Case(new SpaceToBatchLayer.Builder(new int[] {2, 2}).build(), List.of(5)),
        new Case(locallyConnected2D(), List.of(4)),
        new Case(locallyConnected1D(), List.of(4)),
        new Case(new ElementWiseMultiplicationLayer.Builder().nIn(5).nOut(5).build(), List.of(5)),
        new Case(new AutoEncoder.Builder().nIn(4).nOut(6).build(), List.of(4)),
        new Case(primaryCapsules(), List.of(4)),
        // Attention
        new Case(new SelfAttentionLayer.Builder().nIn(4).nOut(6).nHeads(2).headSize(3).projectInput(true).build(), List.of(4)),
        new Case(new RecurrentAttentionLayer.Builder().nIn(4).nOut(5).nHeads(2).headSize(3).projectInput(true).build(), List.of(4)),
        new Case(new AttentionVertex.Builder().nInQueries(4).nInKeys(4).nInValues(3).nOut(5).nHeads(2).headSize(3).projectInput(true).build(), List.of(4, 4, 3)));
  }

  private static Convolution2D convolution2D() {
    Convolution2D conv = new Convolution2D();
    conv.setKernelSize(new int[] {3, 3});
    conv.setStride(new int[] {1, 1});
    conv.setPadding(new int[] {0, 0});
    conv.setNIn(4);
    conv.setNOut(6);
    return conv;
  }

  private static Convolution1D convolution1D() {
    Convolution1D conv = new Convolution1D();
    conv.setKernelSize(new int[] {3, 1});
    conv.setStride(new int[] {1, 1});
    conv.setPadding(new int[] {0, 0});
    conv.setNIn(4);
    conv.setNOut(6);
    return conv;
  }

  private static <T extends SubsamplingLayer> T pooling(T pool, int[] kernel) {
    pool.setKernelSize(kernel);
    pool.setStride(kernel);
    pool.setPadding(new int[] {0, 0});
    pool.setPoolingType(PoolingType.MAX);
    return pool;
  }

  /** Primary capsules know their input channels and capsule count once the input type is set. */
  private static PrimaryCapsules primaryCapsules() {
    PrimaryCapsules caps = new PrimaryCapsules.Builder(3, 2).kernelSize(3, 3).build();
    caps.setInputChannels(4);
    caps.setCapsules(8);
    return caps;
  }

  /** Locally connected layers size their weights by output positions, known once the input size is. */
  private static LocallyConnected2D locallyConnected2D() {
    LocallyConnected2D lc = new LocallyConnected2D.Builder().nIn(4).nOut(6).kernelSize(2, 2)
        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Truncate).setInputSize(5, 5).build();
    lc.computeOutputSize();
    return lc;
  }

  private static LocallyConnected1D locallyConnected1D() {
    LocallyConnected1D lc = new LocallyConnected1D.Builder().nIn(4).nOut(6).kernelSize(3)
        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Truncate).setInputSize(7).build();
    lc.computeOutputSize();
    return lc;
  }

  static Stream<Case> caseStream() {
    return cases().stream();
  }

  @Test
  void everyRegisteredPrunerHasACase() {
    Set<Class<?>> covered = cases().stream().map(c -> c.config().getClass()).collect(Collectors.toSet());
    assertEquals(REGISTRY.layerTypes(), covered);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caseStream")
  void keepsTheContract(Case c) {
    LayerPruner<Object> pruner = REGISTRY.layer(c.config()).orElseThrow();
    assertEquals(c.config().getClass(), pruner.type());

    Slots slots = new Slots();
    List<int[]> in = new ArrayList<>();
    for (int width : c.inputs()) {
      in.add(slots.fresh(width));
    }
    int[] out = pruner.connect(c.config(), in, slots);
    int[] inner = pruner.inner(c.config(), slots);

    if (c.config() instanceof FeedForwardLayer ff && ff.getNIn() > 1 && !embedding(c.config())) {
      List<int[]> wrong = List.of(slots.fresh(c.inputs().get(0) + 1));
      assertThrows(IllegalArgumentException.class, () -> pruner.connect(c.config(), wrong, slots));
    }

    // Remove the first input channel and, where the type creates its own, the last output one.
    Set<Integer> removed = new HashSet<>();
    if (!embedding(c.config())) {
      removed.add(slots.find(in.get(0)[0]));
    }
    if (pruner.outPrunable(c.config()) && out.length > 0) {
      removed.add(slots.find(out[out.length - 1]));
    }
    if (inner.length > 1) {
      removed.add(slots.find(inner[inner.length - 1])); // an attention layer's last head
    }
    List<int[]> keepIn = in.stream().map(s -> kept(s, slots, removed)).toList();
    int[] keepOut = kept(out, slots, removed);
    int[] keepInner = kept(inner, slots, removed);
    assertTrue(keepOut.length > 0 && keepOut.length <= out.length);

    Object resized = clone(c.config());
    pruner.resize(resized, keepIn, keepOut, keepInner);

    if (c.config() instanceof Layer layer) {
      Map<String, INDArray> params = initParams(layer);
      Map<String, INDArray> before = copy(params);
      Map<String, INDArray> sliced = pruner.slice(c.config(), params, keepIn, keepOut, keepInner);
      Map<String, INDArray> expected = initParams((Layer) resized);
      assertEquals(expected.keySet(), sliced.keySet(), c + ": parameter keys");
      for (String key : expected.keySet()) {
        assertEquals(expected.get(key).length(), sliced.get(key).length(), c + " " + key + " length");
        assertArrayEquals(squeeze(expected.get(key).shape()), squeeze(sliced.get(key).shape()), c + " " + key + " shape");
      }
      assertEquals(before, params, c + ": the original parameters are untouched");
      if (resized instanceof FeedForwardLayer ff && !embedding(resized) && ff.getNIn() > 0
          && !(resized instanceof DepthwiseConvolution2D) && !(resized instanceof BatchNormalization)
          && !(resized instanceof DropoutLayer)) {
        assertEquals(keepIn.get(0).length, ff.getNIn(), c + ": nIn follows the kept inputs");
      }
    }
  }

  /** Embeddings read class indices, not channels: they have no IN side. */
  private static boolean embedding(Object config) {
    return config instanceof EmbeddingLayer || config instanceof EmbeddingSequenceLayer;
  }

  private static int[] kept(int[] slotArray, Slots slots, Set<Integer> removed) {
    return java.util.stream.IntStream.range(0, slotArray.length)
        .filter(p -> !removed.contains(slots.find(slotArray[p])))
        .toArray();
  }

  private static Object clone(Object config) {
    if (config instanceof Layer layer) {
      // Layer.clone() shares the layers a Bidirectional or a wrapper holds (see ConfigCopies).
      return org.depprune.network.ConfigCopies.deepClone(layer);
    }
    return ((org.deeplearning4j.nn.conf.graph.GraphVertex) config).clone();
  }

  private static Map<String, INDArray> initParams(Layer layer) {
    NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().layer(layer).build();
    long n = layer.initializer().numParams(conf);
    if (n == 0) {
      return Map.of();
    }
    INDArray view = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(1), 1, n);
    return copy(layer.initializer().init(conf, view, true));
  }

  private static Map<String, INDArray> copy(Map<String, INDArray> params) {
    Map<String, INDArray> copy = new java.util.LinkedHashMap<>();
    params.forEach((k, v) -> copy.put(k, v.dup()));
    return copy;
  }

  /** The shape without size-1 dimensions: DL4J stores biases as [1, n] or [n] by layer type. */
  private static long[] squeeze(long[] shape) {
    return java.util.Arrays.stream(shape).filter(d -> d != 1).toArray();
  }
}
