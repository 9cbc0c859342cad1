package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.depprune.backend.CpuEngine;
import org.depprune.backend.CpuEngines;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every dead-channel fixture: the same training-mode gradients under both CPU engines. */
class EngineGradientTest {
  @AfterAll
  static void restore() {
    CpuEngines.select(CpuEngine.ONEDNN);
  }

  @Test
  void bothEnginesBackpropagateTheSameGradients() {
    List<String> wrong = new ArrayList<>();
    List<String> compared = new ArrayList<>();
    for (Fixtures.Fixture f : Fixtures.all()) {
      CpuEngines.select(CpuEngine.PLAIN);
      Model plain = org.depprune.network.Network.of(f.net()).copy();
      Map<String, INDArray> expected;
      try {
        expected = gradients(plain, f.input());
      } catch (RuntimeException e) {
        // A few fixtures are built for the forward pass only (labels of another shape than the
        // output, say); the engines are compared on the rest.
        System.out.println("not compared: " + f.name() + ": " + e.getMessage());
        continue;
      }
      compared.add(f.name());
      CpuEngines.select(CpuEngine.ONEDNN);
      Model fast = org.depprune.network.Network.of(f.net()).copy();
      Map<String, INDArray> actual = gradients(fast, f.input());
      // A gradient that is zero in exact arithmetic (a convolution's bias before a batch norm) is
      // rounding noise under either engine: each parameter's scale is at least 1e-3 of the largest.
      double largest = expected.values().stream().mapToDouble(g -> g.amaxNumber().doubleValue()).max().orElse(0);
      for (var e : expected.entrySet()) {
        INDArray a = actual.get(e.getKey());
        double scale = Math.max(e.getValue().amaxNumber().doubleValue(), 1e-3 * largest);
        double diff = e.getValue().sub(a).amaxNumber().doubleValue();
        if (!(diff <= 1e-3 * scale)) {
          wrong.add(f.name() + " " + e.getKey() + ": " + diff + " of " + scale);
        }
      }
    }
    assertTrue(compared.size() >= 50, "compared " + compared.size() + " fixtures: " + compared);
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  /**
   * DL4J M2.1's oneDNN helper gets a channels-last convolution's gradients wrong, and
   * {@link CpuEngines#guard} builds such a network without it; channels-first ones agree.
   */
  @Test
  void convolutionsInBothFormatsModesAndStrides() {
    List<String> wrong = new ArrayList<>();
    List<String> helperWrong = new ArrayList<>();
    for (var format : org.deeplearning4j.nn.conf.CNN2DFormat.values()) {
      for (var mode : List.of(org.deeplearning4j.nn.conf.ConvolutionMode.Same,
          org.deeplearning4j.nn.conf.ConvolutionMode.Truncate)) {
        for (int stride : new int[] {1, 2}) {
          var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(4).list()
              .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).stride(stride, stride)
                  .nOut(6).convolutionMode(mode).dataFormat(format)
                  .activation(org.nd4j.linalg.activations.Activation.RELU).build())
              .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(3)
                  .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
              .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(9, 9, 2, format)).build();
          MultiLayerNetwork net = new MultiLayerNetwork(conf);
          net.init();
          INDArray x = Fixtures.input(format == org.deeplearning4j.nn.conf.CNN2DFormat.NCHW
              ? new long[] {4, 2, 9, 9} : new long[] {4, 9, 9, 2});
          CpuEngines.select(CpuEngine.PLAIN);
          Map<String, INDArray> expected = gradients(net.clone(), x);
          CpuEngines.select(CpuEngine.ONEDNN);
          String name = format + " " + mode + " stride " + stride;
          if (!agree(expected, gradients(net.clone(), x))) {
            helperWrong.add(name);
          }
          Model guarded = CpuEngines.guard(net.clone());
          if (!agree(expected, gradients(guarded, x))) {
            wrong.add(name);
          }
          assertEquals(format == org.deeplearning4j.nn.conf.CNN2DFormat.NHWC ? List.of("layer0") : List.of(),
              CpuEngines.helperDefects(net));
          assertEquals(format == org.deeplearning4j.nn.conf.CNN2DFormat.NHWC ? CpuEngine.PLAIN : CpuEngine.ONEDNN,
              CpuEngines.current(), "the guard switched to plain for a channels-last network only");
        }
      }
    }
    assertEquals(List.of(), wrong, "under the guard every case agrees with DL4J's own code");
    assertEquals(List.of("NHWC Same stride 1", "NHWC Same stride 2", "NHWC Truncate stride 1", "NHWC Truncate stride 2"),
        helperWrong, "DL4J M2.1's helper is wrong for channels-last convolutions only (a DL4J fix shows up here)");
  }

  private static boolean agree(Map<String, INDArray> expected, Map<String, INDArray> actual) {
    for (var e : expected.entrySet()) {
      double scale = e.getValue().amaxNumber().doubleValue();
      if (!(e.getValue().sub(actual.get(e.getKey())).amaxNumber().doubleValue() <= 1e-3 * scale)) {
        return false;
      }
    }
    return true;
  }


  /**
   * Gradients of the network's loss against fixed random labels where it ends in output layers,
   * else of its outputs weighted by a fixed random tensor (an external error).
   */
  private static Map<String, INDArray> gradients(Model net, INDArray input) {
    Nd4j.getRandom().setSeed(3);
    boolean lossLayers = net instanceof ComputationGraph g0
        ? g0.getNumOutputArrays() > 0 && java.util.stream.IntStream.range(0, g0.getNumOutputArrays())
            .allMatch(i -> g0.getOutputLayer(i) instanceof IOutputLayer)
        : ((MultiLayerNetwork) net).getOutputLayer() instanceof IOutputLayer;
    if (lossLayers) {
      INDArray[] out = net instanceof ComputationGraph g1 ? g1.output(false, input)
          : new INDArray[] {((MultiLayerNetwork) net).output(input, false)};
      INDArray[] labels = new INDArray[out.length];
      for (int i = 0; i < out.length; i++) {
        labels[i] = Nd4j.getRandomFactory().getNewRandomInstance(7).nextDouble(out[i].shape()).castTo(out[i].dataType());
      }
      Nd4j.getRandom().setSeed(3);
      if (net instanceof ComputationGraph g1) {
        g1.setInputs(input);
        g1.setLabels(labels);
      } else {
        ((MultiLayerNetwork) net).setInput(input);
        ((MultiLayerNetwork) net).setLabels(labels[0]);
      }
      if (net instanceof ComputationGraph g1) {
        g1.computeGradientAndScore();
      } else {
        ((MultiLayerNetwork) net).computeGradientAndScore();
      }
      return Map.copyOf(net.gradient().gradientForVariable());
    }
    if (net instanceof ComputationGraph g) {
      INDArray[] out = g.feedForward(new INDArray[] {input}, true, false).entrySet().stream()
          .filter(e -> g.getConfiguration().getNetworkOutputs().contains(e.getKey()))
          .map(Map.Entry::getValue).toArray(INDArray[]::new);
      INDArray[] eps = new INDArray[out.length];
      for (int i = 0; i < out.length; i++) {
        eps[i] = Nd4j.getRandomFactory().getNewRandomInstance(7).nextDouble(out[i].shape()).castTo(out[i].dataType());
      }
      Nd4j.getRandom().setSeed(3);
      g.feedForward(new INDArray[] {input}, true, false);
      return Map.copyOf(g.backpropGradient(eps).gradientForVariable());
    }
    MultiLayerNetwork m = (MultiLayerNetwork) net;
    m.setInput(input);
    List<INDArray> acts = m.feedForward(true, false);
    INDArray out = acts.get(acts.size() - 1);
    INDArray eps = Nd4j.getRandomFactory().getNewRandomInstance(7).nextDouble(out.shape()).castTo(DataType.FLOAT);
    Nd4j.getRandom().setSeed(3);
    m.setInput(input);
    m.feedForward(true, false);
    return Map.copyOf(m.backpropGradient(eps.castTo(out.dataType()), LayerWorkspaceMgr.noWorkspaces())
        .getFirst().gradientForVariable());
  }
}
