package org.depprune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;
import org.depprune.importance.Criteria;
import org.depprune.pruning.Pruner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.iter.NdIndexIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Keras fixtures in {@code src/test/resources/keras/}, made by {@code tools/keras-fixture/}
 * (TensorFlow.js training, h5py writing Keras 2's HDF5 layout): fashion-cnn.h5 is
 * conv1(8, 3x3, relu) - bn1 - pool1(2) - conv2(16, 3x3, relu) - pool2(2) - flatten - fc1(32,
 * relu) - predictions(10, softmax) on 28x28x1 channels_last input; fashion-layernorm.h5 holds a
 * LayerNormalization, which DL4J 1.0.0-M2.1 cannot import.
 */
class KerasModelsTest {
  private static final String CNN = "/keras/fashion-cnn.h5";
  private static final String LAYERNORM = "/keras/fashion-layernorm.h5";
  /** The imported network keeps Keras's channels_last layout: NHWC convolutions. */
  private static final InputType FASHION = InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC);

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = KerasModelsTest.class.getResourceAsStream(name)) {
      assertTrue(in != null, "test resource " + name + " missing; see tools/keras-fixture/README.md");
      return in.readAllBytes();
    }
  }

  private static MultiLayerNetwork loadCnn() throws IOException {
    return assertInstanceOf(MultiLayerNetwork.class, KerasModels.load(resource(CNN), CNN));
  }

  /**
   * Test images {@code indices} scaled to [0, 1] as [n, 28, 28, 1]: NHWC, as in Keras. DL4J's
   * import gives the convolutions {@code cnn2dDataFormat=NHWC} and flattens through a
   * {@code CnnToFeedForwardPreProcessor(5, 5, 16, NHWC)}, so no permute is needed; NCHW input
   * [n, 1, 28, 28] would be read as 1x28 images of 28 channels and fail.
   */
  private static INDArray images(int[] indices) throws IOException {
    LabeledImages test = FashionMnist.test(FashionMnist.DEBIAN_DIR).select(indices);
    int pixels = test.rows() * test.cols();
    float[] data = new float[indices.length * pixels];
    for (int i = 0; i < indices.length; i++) {
      for (int p = 0; p < pixels; p++) {
        data[i * pixels + p] = test.pixel(i, p) / 255f;
      }
    }
    return Nd4j.create(data, new long[] {indices.length, test.rows(), test.cols(), 1}, 'c');
  }

  @Test
  void importsTheSequentialModelWithItsArchitecture() throws IOException {
    MultiLayerNetwork net = loadCnn();
    // Keras's 8 layers less the Flatten, which DL4J turns into the preprocessor before fc1.
    assertEquals(7, net.getnLayers());
    long conv1 = 3 * 3 * 1 * 8 + 8;
    long bn1 = 4 * 8; // gamma, beta and, as DL4J parameters, the running mean and variance
    long conv2 = 3 * 3 * 8 * 16 + 16;
    long fc1 = 5 * 5 * 16 * 32 + 32; // 28 -> conv 26 -> pool 13 -> conv 11 -> pool 5
    long predictions = 32 * 10 + 10;
    assertEquals(conv1 + bn1 + conv2 + fc1 + predictions, net.numParams());
    assertEquals(14_442, net.numParams());

    var conf = net.getLayerWiseConfigurations();
    assertEquals(CNN2DFormat.NHWC, ((ConvolutionLayer) conf.getConf(0).getLayer()).getCnn2dDataFormat());
    assertInstanceOf(BatchNormalization.class, conf.getConf(1).getLayer());
    CnnToFeedForwardPreProcessor flatten =
        assertInstanceOf(CnnToFeedForwardPreProcessor.class, conf.getInputPreProcess(5));
    assertEquals(CNN2DFormat.NHWC, flatten.getFormat());
    assertEquals(List.of(5L, 5L, 16L),
        List.of(flatten.getInputHeight(), flatten.getInputWidth(), flatten.getNumChannels()));
  }

  @Test
  void aFileWithoutATrainingConfigGetsACrossEntropyOutputAndTrains() throws IOException {
    MultiLayerNetwork net = loadCnn();
    var output = assertInstanceOf(org.deeplearning4j.nn.conf.layers.OutputLayer.class,
        net.getLayerWiseConfigurations().getConf(6).getLayer(), "the softmax dense layer, with a loss");
    assertEquals("predictions", output.getLayerName());
    assertEquals(org.nd4j.linalg.lossfunctions.impl.LossMCXENT.class, output.getLossFn().getClass());
    INDArray x = images(new int[] {0, 1, 2, 3});
    INDArray labels = Nd4j.zeros(4, 10);
    for (int i = 0; i < 4; i++) {
      labels.putScalar(i, i, 1);
    }
    INDArray before = net.params().dup();
    net.fit(new org.nd4j.linalg.dataset.DataSet(x, labels));
    assertFalse(before.equalsWithEps(net.params(), 1e-9), "one step of training moved the weights");

    // the same bytes through ModelFiles, as the search and the commands load a model file
    Model viaFiles = ModelFiles.load(resource(CNN), "fashion-cnn.h5");
    assertEquals(net.numParams(), viaFiles.numParams());
    assertEquals(before, viaFiles.params());
  }

  @Test
  void predictsWhatTheSourceModelPredicted() throws IOException {
    JsonNode expected = new ObjectMapper().readTree(resource("/keras/fashion-cnn.expected.json"));
    int[] indices = new int[expected.get("image_indices").size()];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = expected.get("image_indices").get(i).asInt();
    }
    assertEquals(8, indices.length);
    INDArray out = loadCnn().output(images(indices));
    assertArrayEquals(new long[] {8, 10}, out.shape());
    for (int i = 0; i < indices.length; i++) {
      for (int k = 0; k < 10; k++) {
        double want = expected.get("outputs").get(i).get(k).asDouble();
        assertEquals(want, out.getDouble(i, k), 1e-4, "image " + indices[i] + ", class " + k);
      }
    }
  }

  @Test
  void anUnsupportedLayerIsNamedWithTheFix() throws IOException {
    var e = assertThrows(IllegalArgumentException.class,
        () -> KerasModels.load(resource(LAYERNORM), "fashion-layernorm.h5"));
    String m = e.getMessage();
    assertTrue(m.contains("fashion-layernorm.h5"), m);
    assertTrue(m.contains("layer 'norm1' (LayerNormalization)"), m);
    assertTrue(m.contains("Unsupported keras layer type LayerNormalization"), "DL4J's words: " + m);
    assertTrue(m.contains("replace it with a layer DL4J's Keras import supports"), m);
  }

  @Test
  void aFileThatIsNotHdf5IsRefused(@TempDir Path dir) throws IOException {
    Path zip = Files.write(dir.resolve("model.keras"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0});
    var e = assertThrows(IllegalArgumentException.class, () -> KerasModels.load(zip));
    assertTrue(e.getMessage().contains(zip + " is not an HDF5 file"), e.getMessage());
  }

  @Test
  void recognisesTheHdf5Signature() throws IOException {
    assertTrue(KerasModels.isHdf5(resource(CNN)));
    assertFalse(KerasModels.isHdf5(new byte[] {(byte) 0x89, 'H', 'D', 'F'}));
    assertFalse(KerasModels.isHdf5("PK\u0003\u0004 a zip".getBytes()));
    assertFalse(KerasModels.isHdf5(null));
  }

  @Test
  void theImportPrunesAndDeadChannelsGoWithoutChangingTheOutput() throws IOException {
    MultiLayerNetwork net = loadCnn();
    // Kill half of each group's channels: zero what produces them (so magnitude ranks them
    // last) and what reads them (so the output does not depend on them).
    int[] conv1Dead = {0, 2, 5, 7};
    int[] conv2Dead = {1, 2, 3, 6, 8, 10, 13, 15};
    int[] fc1Dead = {0, 3, 4, 7, 9, 10, 12, 14, 17, 19, 20, 23, 25, 26, 28, 31};
    for (int c : conv1Dead) {
      zero(net, "conv1", "W", 0, c); // DL4J's conv weights are [out, in, kh, kw] for NHWC too
      zero(net, "conv1", "b", 0, c);
      zero(net, "conv2", "W", 1, c);
    }
    for (int c : conv2Dead) {
      zero(net, "conv2", "W", 0, c);
      zero(net, "conv2", "b", 0, c);
      // NHWC flatten: feature (h * 5 + w) * 16 + c belongs to channel c.
      for (int hw = 0; hw < 25; hw++) {
        zero(net, "fc1", "W", 0, hw * 16 + c);
      }
    }
    for (int u : fc1Dead) {
      zero(net, "fc1", "W", 1, u);
      zero(net, "fc1", "b", 0, u);
      zero(net, "predictions", "W", 0, u);
    }
    INDArray x = images(new int[] {0, 1, 2, 3});
    INDArray before = net.output(x);

    Pruner.Result result = Pruner.builder(Criteria.byName("magnitude", 0, null, 0))
        .optRatio(0.5).optInputTypes(FASHION).build().run(net);
    MultiLayerNetwork pruned = assertInstanceOf(MultiLayerNetwork.class, result.network());

    assertEquals(Map.of("conv1", 4L, "bn1", 4L, "conv2", 8L, "fc1", 16L, "predictions", 10L),
        Map.of("conv1", nOut(pruned, 0), "bn1", nOut(pruned, 1), "conv2", nOut(pruned, 3),
            "fc1", nOut(pruned, 5), "predictions", nOut(pruned, 6)));
    CnnToFeedForwardPreProcessor flatten = assertInstanceOf(CnnToFeedForwardPreProcessor.class,
        pruned.getLayerWiseConfigurations().getInputPreProcess(5));
    assertEquals(List.of(5L, 5L, 8L, CNN2DFormat.NHWC), List.of(flatten.getInputHeight(),
        flatten.getInputWidth(), flatten.getNumChannels(), flatten.getFormat()));
    long params = (9 * 4 + 4) + 4 * 4 + (9 * 4 * 8 + 8) + (25 * 8 * 16 + 16) + (16 * 10 + 10);
    assertEquals(params, pruned.numParams());
    assertTrue(result.macsKept() < 0.5, "MACs kept: " + result.macsKept());

    assertArrayEquals(new long[] {1, 10}, pruned.output(images(new int[] {0})).shape());
    assertTrue(before.equalsWithEps(pruned.output(x), 1e-5),
        "pruning the dead channels keeps the output:\n" + before + "\n" + pruned.output(x));
  }

  private static long nOut(MultiLayerNetwork net, int layer) {
    var conf = net.getLayerWiseConfigurations().getConf(layer).getLayer();
    if (conf instanceof BatchNormalization bn) {
      return bn.getNOut();
    }
    return conf instanceof ConvolutionLayer c ? c.getNOut()
        : ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf).getNOut();
  }

  /**
   * Zeroes the entries of a parameter whose index along {@code axis} is {@code i}, one by one:
   * with ND4J 1.0.0-M2.1, {@code put(new INDArrayIndex[] {point(15)}, 0)} on conv2's weight view
   * (offset 128 into the flat parameters) left filter 15 as it was while filter 3 was zeroed,
   * and {@code get(point(c)).assign(0)} once threw a NullPointerException in
   * NativeOpExecutioner.
   */
  private static void zero(MultiLayerNetwork net, String layer, String param, int axis, long i) {
    INDArray p = net.getLayer(layer).getParam(param);
    for (var it = new NdIndexIterator(p.shape()); it.hasNext(); ) {
      long[] at = it.next();
      if (at[axis] == i) {
        p.putScalar(at, 0);
      }
    }
  }
}
