package org.depprune.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Recalibrated statistics against a hand computation: the batch-norm inputs of DL4J's own
 * training-mode {@code feedForward} on a copy of the network without dropout, stacked over all
 * batches, and their mean and population variance per channel. The networks under test have
 * dropout before a batch-norm layer, so applying it would show.
 */
class BatchNormRecalibrationTest {
  private static final Set<String> RUNNING_STATS = Set.of("mean", "var", "log10stdev");
  private static final int[] BATCH_SIZES = {16, 16, 7};

  // ---- fixtures ----

  private static NeuralNetConfiguration.Builder base() {
    return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2)).convolutionMode(ConvolutionMode.Same);
  }

  private static ConvolutionLayer conv(int nOut, CNN2DFormat format) {
    return new ConvolutionLayer.Builder(3, 3).nOut(nOut).activation(Activation.IDENTITY).dataFormat(format).build();
  }

  private static ActivationLayer relu() {
    return new ActivationLayer.Builder().activation(Activation.RELU).build();
  }

  private static DenseLayer denseWithDropout() {
    return new DenseLayer.Builder().nOut(7).activation(Activation.TANH).dropOut(0.5).build();
  }

  private static OutputLayer output() {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build();
  }

  /**
   * conv-bn-relu, conv-bn (variance stored as is), residual add, dense with dropout - bn - softmax.
   * The first batch norm's large eps would show if it were stored with the variance.
   */
  private static ComputationGraph graph() {
    ComputationGraph net = new ComputationGraph(base().graphBuilder()
        .addInputs("in").setInputTypes(InputType.convolutional(6, 6, 2))
        .addLayer("conv1", conv(4, CNN2DFormat.NCHW), "in")
        .addLayer("bn1", new BatchNormalization.Builder().eps(0.1).build(), "conv1")
        .addLayer("relu1", relu(), "bn1")
        .addLayer("conv2", conv(4, CNN2DFormat.NCHW), "relu1")
        .addLayer("bn2", new BatchNormalization.Builder().useLogStd(false).build(), "conv2")
        .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "relu1", "bn2")
        .addLayer("dense", denseWithDropout(), "add")
        .addLayer("bn3", new BatchNormalization.Builder().build(), "dense")
        .addLayer("out", output(), "bn3")
        .setOutputs("out")
        .build());
    net.init();
    return net;
  }

  /** conv-bn-relu, dense with dropout - bn - softmax, in {@code format}. */
  private static MultiLayerNetwork sequential(CNN2DFormat format) {
    MultiLayerNetwork net = new MultiLayerNetwork(base().list()
        .layer(conv(4, format))
        .layer(new BatchNormalization.Builder().dataFormat(format).build())
        .layer(relu())
        .layer(denseWithDropout())
        .layer(new BatchNormalization.Builder().build())
        .layer(output())
        .setInputType(InputType.convolutional(5, 6, 3, format))
        .build());
    net.init();
    return net;
  }

  /** Three batches of 16, 16 and 7 examples of shape {@code example}, off-centre and spread. */
  private static List<DataSet> batches(long... example) {
    var random = Nd4j.getRandomFactory().getNewRandomInstance(11);
    List<DataSet> batches = new ArrayList<>();
    for (int n : BATCH_SIZES) {
      long[] shape = new long[example.length + 1];
      shape[0] = n;
      System.arraycopy(example, 0, shape, 1, example.length);
      INDArray x = Nd4j.randn(random, shape).castTo(DataType.FLOAT).muli(2).addi(0.5);
      INDArray y = Nd4j.zeros(DataType.FLOAT, n, 3);
      for (int i = 0; i < n; i++) {
        y.putScalar(i, i % 3, 1);
      }
      batches.add(new DataSet(x, y));
    }
    return batches;
  }

  // ---- hand computation ----

  /** The same network with no dropout anywhere and the same parameters. */
  private static Model withoutDropout(Model net) {
    if (net instanceof ComputationGraph g) {
      ComputationGraphConfiguration conf = g.getConfiguration().clone();
      conf.getVertices().values().stream().filter(v -> v instanceof LayerVertex)
          .forEach(v -> ((LayerVertex) v).getLayerConf().getLayer().setIDropout(null));
      ComputationGraph copy = new ComputationGraph(conf);
      copy.init(g.params().dup(), false);
      return copy;
    }
    MultiLayerNetwork m = (MultiLayerNetwork) net;
    MultiLayerConfiguration conf = m.getLayerWiseConfigurations().clone();
    conf.getConfs().forEach(c -> c.getLayer().setIDropout(null));
    MultiLayerNetwork copy = new MultiLayerNetwork(conf);
    copy.init(m.params().dup(), false);
    return copy;
  }

  /** Each batch-norm layer's input in DL4J's training-mode feed-forward of {@code x}. */
  private static Map<String, INDArray> bnInputs(Model net, INDArray x) {
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    if (net instanceof ComputationGraph g) {
      Map<String, INDArray> acts = g.feedForward(new INDArray[] {x}, true);
      g.getConfiguration().getVertices().forEach((name, v) -> {
        if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization) {
          INDArray in = acts.get(g.getConfiguration().getVertexInputs().get(name).get(0));
          InputPreProcessor pre = lv.getPreProcessor();
          inputs.put(name, pre == null ? in : pre.preProcess(in, (int) x.size(0), mgr));
        }
      });
      return inputs;
    }
    MultiLayerNetwork m = (MultiLayerNetwork) net;
    List<INDArray> acts = m.feedForward(x, true);
    for (int i = 0; i < m.getnLayers(); i++) {
      if (m.getLayerWiseConfigurations().getConf(i).getLayer() instanceof BatchNormalization) {
        InputPreProcessor pre = m.getLayerWiseConfigurations().getInputPreProcess(i);
        inputs.put(String.valueOf(i), pre == null ? acts.get(i) : pre.preProcess(acts.get(i), (int) x.size(0), mgr));
      }
    }
    return inputs;
  }

  /** Per channel mean and population variance of all batches' inputs to each batch-norm layer. */
  private static Map<String, double[][]> handStatistics(Model net, List<DataSet> batches, CNN2DFormat format) {
    Model reference = withoutDropout(net);
    Map<String, List<INDArray>> stacked = new LinkedHashMap<>();
    for (DataSet b : batches) {
      bnInputs(reference, b.getFeatures()).forEach((name, in) -> stacked.computeIfAbsent(name, k -> new ArrayList<>()).add(in));
    }
    Map<String, double[][]> stats = new LinkedHashMap<>();
    stacked.forEach((name, list) -> {
      INDArray all = Nd4j.concat(0, list.toArray(INDArray[]::new)).castTo(DataType.DOUBLE);
      int[] pooled = all.rank() == 2 ? new int[] {0} : format == CNN2DFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
      stats.put(name, new double[][] {all.mean(pooled).toDoubleVector(), all.var(false, pooled).toDoubleVector()});
    });
    return stats;
  }

  // ---- what the network holds ----

  private static Map<String, double[]> paramTable(Model net) {
    Map<String, double[]> table = new LinkedHashMap<>();
    net.paramTable().forEach((k, v) -> table.put(k, v.castTo(DataType.DOUBLE).dup('c').ravel().toDoubleVector()));
    return table;
  }

  private static boolean isRunningStat(String key) {
    return RUNNING_STATS.contains(key.substring(key.lastIndexOf('_') + 1));
  }

  private static double[] updaterState(Model net) {
    INDArray state = net instanceof ComputationGraph g ? g.getUpdater().getStateViewArray()
        : ((MultiLayerNetwork) net).getUpdater().getStateViewArray();
    return state.castTo(DataType.DOUBLE).dup('c').ravel().toDoubleVector();
  }

  private static Layer[] layers(Model net) {
    return net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
  }

  /** The running mean and variance layer {@code name} now holds, the variance decoded from log10(std) if needed. */
  private static double[][] stored(Model net, String name) {
    Map<String, INDArray> p = net instanceof ComputationGraph g ? g.getLayer(name).paramTable()
        : ((MultiLayerNetwork) net).getLayer(Integer.parseInt(name)).paramTable();
    double[] mean = p.get("mean").castTo(DataType.DOUBLE).toDoubleVector();
    double[] var;
    if (p.containsKey("log10stdev")) {
      var = Arrays.stream(p.get("log10stdev").castTo(DataType.DOUBLE).toDoubleVector()).map(s -> Math.pow(10, 2 * s)).toArray();
    } else {
      var = p.get("var").castTo(DataType.DOUBLE).toDoubleVector();
    }
    return new double[][] {mean, var};
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": channel count");
    for (int c = 0; c < expected.length; c++) {
      double tolerance = 1e-4 * Math.max(1, Math.abs(expected[c]));
      assertEquals(expected[c], actual[c], tolerance, what + ", channel " + c);
    }
  }

  /**
   * Fits one batch (so the updater state and running statistics are not the initial ones),
   * recalibrates on {@link #BATCH_SIZES}, and checks everything the class promises.
   */
  private static void checkRecalibration(Model net, CNN2DFormat format, long... example) {
    List<DataSet> data = batches(example);
    ((org.deeplearning4j.nn.api.NeuralNetwork) net).fit(data.get(0));
    Map<String, double[][]> expected = handStatistics(net, data, format);
    Map<String, double[]> before = paramTable(net);
    double[] updaterBefore = updaterState(net);
    Object storedInput = net instanceof ComputationGraph g ? g.getInputs() : ((MultiLayerNetwork) net).getInput();

    BatchNormRecalibration.Result result = BatchNormRecalibration.recalibrate(net, new ExistingDataSetIterator(data));

    assertEquals(new BatchNormRecalibration.Result(expected.size(), Arrays.stream(BATCH_SIZES).sum()), result);
    expected.forEach((name, stats) -> {
      double[][] actual = stored(net, name);
      assertClose(stats[0], actual[0], "running mean of " + name);
      assertClose(stats[1], actual[1], "running variance of " + name);
    });
    Map<String, double[]> after = paramTable(net);
    assertEquals(before.keySet(), after.keySet());
    int statsChanged = 0;
    for (String key : before.keySet()) {
      if (isRunningStat(key)) {
        statsChanged += Arrays.equals(before.get(key), after.get(key)) ? 0 : 1;
      } else {
        assertArrayEquals(before.get(key), after.get(key), key + " must stay bit-equal");
      }
    }
    assertEquals(expected.size() * 2, statsChanged, "every running mean and variance was rewritten");
    assertArrayEquals(updaterBefore, updaterState(net), "updater state must stay bit-equal");

    // No state left behind: the stored network input is the one before, no layer holds an input,
    // and the network answers as a fresh network built from its parameters does.
    assertSame(storedInput, net instanceof ComputationGraph g ? g.getInputs() : ((MultiLayerNetwork) net).getInput());
    for (Layer layer : layers(net)) {
      assertNull(layer.input(), "layer " + layer.getIndex() + " still holds an input");
    }
    INDArray x = data.get(2).getFeatures();
    if (net instanceof ComputationGraph g) {
      ComputationGraph fresh = new ComputationGraph(g.getConfiguration().clone());
      fresh.init(g.params().dup(), false);
      assertEquals(fresh.outputSingle(x), g.outputSingle(x));
    } else {
      MultiLayerNetwork m = (MultiLayerNetwork) net;
      MultiLayerNetwork fresh = new MultiLayerNetwork(m.getLayerWiseConfigurations().clone());
      fresh.init(m.params().dup(), false);
      assertEquals(fresh.output(x), m.output(x));
    }
  }

  // ---- tests ----

  @Test
  void graphWithResidualAddAndDropout() {
    checkRecalibration(graph(), CNN2DFormat.NCHW, 2, 6, 6);
  }

  @Test
  void sequentialNchw() {
    checkRecalibration(sequential(CNN2DFormat.NCHW), CNN2DFormat.NCHW, 3, 5, 6);
  }

  @Test
  void sequentialNhwcPoolsOverHeightAndWidth() {
    MultiLayerNetwork net = sequential(CNN2DFormat.NHWC);
    assertEquals(CNN2DFormat.NHWC, ((BatchNormalization) net.getLayerWiseConfigurations().getConf(1).getLayer()).getCnn2DFormat());
    // 4 channels last, 5x6 images: pooling the wrong axes would not even give 4 values.
    checkRecalibration(net, CNN2DFormat.NHWC, 5, 6, 3);
  }

  @Test
  void denseOnlyNetwork() {
    MultiLayerNetwork net = new MultiLayerNetwork(base().list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build())
        .layer(new BatchNormalization.Builder().eps(0.1).build())
        .layer(new DenseLayer.Builder().nOut(5).activation(Activation.TANH).dropOut(0.5).build())
        .layer(new BatchNormalization.Builder().useLogStd(false).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    checkRecalibration(net, CNN2DFormat.NCHW, 4);
  }

  @Test
  void aNetworkWithoutBatchNormIsLeftAlone() {
    MultiLayerNetwork net = new MultiLayerNetwork(base().list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(6).build())
        .layer(output())
        .build());
    net.init();
    INDArray before = net.params().dup();
    var result = BatchNormRecalibration.recalibrate(net, new ExistingDataSetIterator(List.<DataSet>of()));
    assertEquals(new BatchNormRecalibration.Result(0, 0), result);
    assertEquals(before, net.params());
  }

  @Test
  void anEmptyIteratorIsRefused() {
    MultiLayerNetwork net = sequential(CNN2DFormat.NCHW);
    INDArray before = net.params().dup();
    var e = assertThrows(IllegalArgumentException.class,
        () -> BatchNormRecalibration.recalibrate(net, new ExistingDataSetIterator(List.<DataSet>of())));
    assertTrue(e.getMessage().contains("yielded no examples: pass an iterator over a few batches"), e.getMessage());
    assertEquals(before, net.params());
  }

  @Test
  void maskedBatchesAreRefused() {
    MultiLayerNetwork net = sequential(CNN2DFormat.NCHW);
    DataSet masked = batches(3, 5, 6).get(2);
    masked.setFeaturesMaskArray(Nd4j.ones(DataType.FLOAT, masked.numExamples(), 1));
    var e = assertThrows(IllegalArgumentException.class,
        () -> BatchNormRecalibration.recalibrate(net, new ExistingDataSetIterator(List.of(masked))));
    assertTrue(e.getMessage().contains("found a features mask"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
