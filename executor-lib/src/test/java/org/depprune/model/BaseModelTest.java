package org.depprune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BaseModelTest {

  /** The parameter count of the base model, layer by layer (BN holds gamma, beta, mean, var). */
  static long expectedParams(int c, int dense, int classes) {
    long stem = 9L * c + c + 4L * c;
    long block1 = 2 * (9L * c * c + c + 4L * c);
    long down = 9L * c * 2 * c + 2 * c + 4L * 2 * c;
    long block2 = 2 * (9L * 2 * c * 2 * c + 2 * c + 4L * 2 * c);
    long fc = 2L * c * 7 * 7 * dense + dense;
    long out = (long) dense * classes + classes;
    return stem + block1 + down + block2 + fc + out;
  }

  @Test
  void buildsTheDocumentedTopology() {
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());
    assertEquals(expectedParams(16, 128, 10), net.numParams());
    assertEquals(230_634, net.numParams());
    var conf = net.getConfiguration();
    assertInstanceOf(ElementWiseVertex.class, conf.getVertices().get("block1_add"));
    assertEquals(List.of("pool", "block1_bn2"), conf.getVertexInputs().get("block1_add"));
    assertEquals(List.of("down_relu", "block2_bn2"), conf.getVertexInputs().get("block2_add"));
    // DL4J inserts the flatten from the last conv stage (2C x 7 x 7) into the dense layer.
    LayerVertex dense = (LayerVertex) conf.getVertices().get("dense");
    CnnToFeedForwardPreProcessor flatten =
        assertInstanceOf(CnnToFeedForwardPreProcessor.class, dense.getPreProcessor());
    assertEquals(7, flatten.getInputHeight());
    assertEquals(7, flatten.getInputWidth());
    assertEquals(32, flatten.getNumChannels());

    INDArray out = net.outputSingle(Nd4j.rand(3, 1, 28, 28));
    assertArrayEquals(new long[] {3, 10}, out.shape());
    for (int i = 0; i < 3; i++) {
      assertEquals(1.0, out.getRow(i).sumNumber().doubleValue(), 1e-5, "softmax rows sum to 1");
    }
  }

  @Test
  void channelsLastRunsEveryLayerNhwc() {
    var conf = BaseModel.configuration(BaseModel.Spec.defaults(), org.deeplearning4j.nn.conf.CNN2DFormat.NHWC);
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    assertEquals(230_634, net.numParams(), "the same parameters");
    for (String conv : List.of("stem", "block1_conv1", "block1_conv2", "down", "block2_conv1", "block2_conv2")) {
      var layer = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer)
          ((LayerVertex) conf.getVertices().get(conv)).getLayerConf().getLayer();
      assertEquals(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC, layer.getCnn2dDataFormat(), conv);
    }
    var flatten = (CnnToFeedForwardPreProcessor) ((LayerVertex) conf.getVertices().get("dense")).getPreProcessor();
    assertEquals(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC, flatten.getFormat());
    assertArrayEquals(new long[] {3, 10}, net.outputSingle(Nd4j.rand(3, 28, 28, 1)).shape());
  }

  @Test
  void sameSeedSameWeights() {
    var spec = new BaseModel.Spec(4, 8, 10, 5, 1e-3, 1.0);
    assertEquals(BaseModel.create(spec).params(), BaseModel.create(spec).params());
    assertTrue(
        !BaseModel.create(spec).params().equals(BaseModel.create(spec.withSeed(6)).params()));
  }

  @Test
  void badSpecsAreRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new BaseModel.Spec(0, 8, 10, 1, 1e-3, 1.0));
    assertTrue(e.getMessage().contains("width and dense units must be positive"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new BaseModel.Spec(4, 8, 10, 1, 1e-3, 1.5));
    assertTrue(e.getMessage().contains("decay in (0, 1]"), e.getMessage());
  }
}
