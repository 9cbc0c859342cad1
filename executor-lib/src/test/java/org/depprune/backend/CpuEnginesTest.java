package org.depprune.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.depprune.model.BaseModel;
import org.depprune.model.Versions;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two engines on the real base model: oneDNN loads DL4J's oneDNN helpers, plain loads none,
 * and both compute the same outputs, gradients and training steps (to float rounding).
 */
class CpuEnginesTest {
  private static final BaseModel.Spec SPEC = BaseModel.Spec.defaults();

  /** The first selection picks the JVM's native library: the oneDNN one, as in a search. */
  @BeforeAll
  static void loadTheOneDnnLibrary() {
    CpuEngines.select(CpuEngine.ONEDNN);
  }

  @AfterEach
  void restoreTheDefault() {
    CpuEngines.select(CpuEngine.ONEDNN);
  }

  @Test
  void oneDnnLoadsTheHelpersOfEveryConvolutionAndBatchNorm() {
    assertEquals(CpuEngine.ONEDNN, CpuEngines.select(CpuEngine.ONEDNN));
    assertTrue(CpuEngines.buildInfo().contains("HAVE_ONEDNN"), CpuEngines.buildInfo());
    assertEquals("onednn", Versions.all().get("cpu-engine"));
    ComputationGraph net = BaseModel.create(SPEC);
    List<String> convs = new ArrayList<>();
    for (Layer layer : net.getLayers()) {
      if (layer instanceof ConvolutionLayer) {
        assertEquals(MKLDNNConvHelper.class, layer.getHelper().getClass(), layer.getConfig().getLayerName());
        convs.add(layer.getConfig().getLayerName());
      } else if (layer instanceof BatchNormalization) {
        assertEquals(MKLDNNBatchNormHelper.class, layer.getHelper().getClass(), layer.getConfig().getLayerName());
      }
    }
    assertEquals(6, convs.size(), "the base model's convolutions: " + convs);
  }

  @Test
  void plainLoadsNoHelper() {
    assertEquals(CpuEngine.PLAIN, CpuEngines.select(CpuEngine.PLAIN));
    assertEquals("plain", Versions.all().get("cpu-engine"));
    for (Layer layer : BaseModel.create(SPEC).getLayers()) {
      assertNull(layer.getHelper(), layer.getConfig().getLayerName());
    }
  }

  @Test
  void bothEnginesComputeTheSameOutputsGradientsAndSteps() {
    DataSet batch = batch(16, 7);
    CpuEngines.select(CpuEngine.ONEDNN);
    ComputationGraph fast = BaseModel.create(SPEC);
    CpuEngines.select(CpuEngine.PLAIN);
    ComputationGraph plain = BaseModel.create(SPEC);
    assertEquals(plain.params(), fast.params(), "same seed, same initial weights");

    // Outputs in inference mode, under each network's own engine.
    INDArray plainOut = plain.outputSingle(batch.getFeatures());
    CpuEngines.select(CpuEngine.ONEDNN);
    INDArray fastOut = fast.outputSingle(batch.getFeatures());
    assertClose(plainOut, fastOut, 1e-5, "inference outputs");

    // Gradients of the training loss (batch statistics in the batch norms; the same dropout masks).
    Nd4j.getRandom().setSeed(11);
    fast.setInputs(batch.getFeatures());
    fast.setLabels(batch.getLabels());
    fast.computeGradientAndScore();
    INDArray fastGrad = fast.gradient().gradient().dup();
    CpuEngines.select(CpuEngine.PLAIN);
    Nd4j.getRandom().setSeed(11);
    plain.setInputs(batch.getFeatures());
    plain.setLabels(batch.getLabels());
    plain.computeGradientAndScore();
    assertEquals(plain.score(), fast.score(), 1e-5 * plain.score(), "loss");
    assertClose(plain.gradient().gradient(), fastGrad, 1e-3, "gradients");

    // One training step: the batch norms' running statistics move the same way. (Weights are not
    // compared after Adam steps: Adam turns the rounding noise of a near-zero gradient, such as a
    // convolution bias before a batch norm, into a full step of either sign.)
    DataSet next = batch(16, 100);
    CpuEngines.select(CpuEngine.PLAIN);
    Nd4j.getRandom().setSeed(12);
    plain.fit(next);
    CpuEngines.select(CpuEngine.ONEDNN);
    Nd4j.getRandom().setSeed(12);
    fast.fit(next);
    int statistics = 0;
    for (var e : plain.paramTable().entrySet()) {
      if (e.getKey().endsWith("_mean") || e.getKey().endsWith("_log10stdev")) {
        assertClose(e.getValue(), fast.paramTable().get(e.getKey()), 1e-4, e.getKey() + " after one step");
        statistics++;
      }
    }
    assertEquals(12, statistics, "six batch norms, two statistics each");
  }

  @Test
  void aChannelsLastKerasCnnIsGuardedToPlainAndGetsTheSameGradients() throws Exception {
    byte[] h5;
    try (var in = CpuEnginesTest.class.getResourceAsStream("/keras/fashion-cnn.h5")) {
      h5 = in.readAllBytes();
    }
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 28, 28, 1);
    INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 10);
    for (int i = 0; i < 8; i++) {
      y.putScalar(i, i, 1f);
    }
    CpuEngines.select(CpuEngine.PLAIN);
    var plain = (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) org.depprune.model.KerasModels.load(h5, "cnn");
    plain.setInput(x);
    plain.setLabels(y);
    plain.computeGradientAndScore();
    CpuEngines.select(CpuEngine.ONEDNN);
    var fast = (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) org.depprune.model.KerasModels.load(h5, "cnn");
    assertEquals(List.of("conv1", "conv2"), CpuEngines.helperDefects(fast), "Keras' channels-last convolutions");
    fast = (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) CpuEngines.guard(fast);
    assertEquals(CpuEngine.PLAIN, CpuEngines.current(), "the guard switched the engine");
    assertNull(fast.getLayer(0).getHelper(), "and rebuilt the network without helpers");
    fast.setInput(x);
    fast.setLabels(y);
    fast.computeGradientAndScore();
    assertEquals(plain.score(), fast.score(), 1e-5 * plain.score(), "loss");
    assertClose(plain.gradient().gradient(), fast.gradient().gradient(), 1e-3, "gradients");
  }

  @Test
  void anUnknownEngineIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> CpuEngine.parse("fast"));
    assertEquals("unknown engine 'fast': use onednn or plain", e.getMessage());
    assertEquals(CpuEngine.PLAIN, CpuEngine.parse(" Plain "));
  }

  /** Images of noise with labels that depend on them, seeded. */
  private static DataSet batch(int n, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 1, 28, 28);
    INDArray labels = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, 10);
    for (int i = 0; i < n; i++) {
      labels.putScalar(i, (int) (x.getDouble(i, 0, 14, 14) * 10), 1f);
    }
    return new DataSet(x, labels);
  }

  /** Max absolute difference within {@code tol} of the largest magnitude. */
  private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-12);
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(diff <= tol * scale, what + ": max difference " + diff + " against scale " + scale);
  }
}
