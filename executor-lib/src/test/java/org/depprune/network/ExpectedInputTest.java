package org.depprune.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.depprune.model.BaseModel;
import org.junit.jupiter.api.Test;

/** What a network's configuration says about its input, for networks as DL4J saves them. */
class ExpectedInputTest {
  static MultiLayerNetwork sequential(InputType input, boolean conv, CNN2DFormat format) {
    var list = new NeuralNetConfiguration.Builder().seed(1).list();
    if (conv) {
      list.layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(format).name("stem").build());
    } else {
      list.layer(new DenseLayer.Builder().nOut(8).name("hidden").build());
    }
    MultiLayerNetwork net = new MultiLayerNetwork(list.layer(new OutputLayer.Builder().nOut(3).build())
        .setInputType(input).build());
    net.init();
    return net;
  }

  @Test
  void aFlatImageInputRecordsItsWholeShape() {
    ExpectedInput e = ExpectedInput.of(sequential(InputType.convolutionalFlat(28, 28, 1), true, CNN2DFormat.NCHW))
        .orElseThrow();
    assertEquals(Optional.of(InputType.convolutional(28, 28, 1)), e.inputType());
    e.check(new long[] {1, 28, 28}, "fix");
    e.check(new long[] {784}, "fix");
    var wrong = assertThrows(IllegalArgumentException.class, () -> e.check(new long[] {3, 28, 28}, "set the key"));
    assertTrue(wrong.getMessage().contains("[3, 28, 28]") && wrong.getMessage().contains("[1, 28, 28]")
        && wrong.getMessage().contains("set the key"), wrong.getMessage());
  }

  @Test
  void aConvolutionRecordsItsChannelsOnlyAndItsLayout() {
    ExpectedInput e = ExpectedInput.of(sequential(InputType.convolutional(32, 32, 3, CNN2DFormat.NHWC), true,
        CNN2DFormat.NHWC)).orElseThrow();
    assertEquals(3, e.channels());
    assertEquals(0, e.height(), "DL4J does not save the input size");
    assertEquals(CNN2DFormat.NHWC, e.format());
    assertEquals(Optional.empty(), e.inputType());
    assertEquals("[3, ?, ?] (channels, height, width)", e.describe());
    e.check(new long[] {3, 64, 64}, "fix");
    assertThrows(IllegalArgumentException.class, () -> e.check(new long[] {1, 64, 64}, "fix"));

    ExpectedInput graph = ExpectedInput.of(BaseModel.create(BaseModel.Spec.defaults())).orElseThrow();
    assertEquals(1, graph.channels(), "the base model's stem");
  }

  @Test
  void aDenseFirstLayerRecordsItsFeaturesAndTheNetworkItsClasses() {
    MultiLayerNetwork mlp = sequential(InputType.feedForward(64), false, CNN2DFormat.NCHW);
    ExpectedInput e = ExpectedInput.of(mlp).orElseThrow();
    assertEquals(Optional.of(InputType.feedForward(64)), e.inputType());
    e.check(new long[] {64}, "fix");
    e.check(new long[] {1, 8, 8}, "fix");
    assertThrows(IllegalArgumentException.class, () -> e.check(new long[] {63}, "fix"));
    assertEquals(3, Network.of(mlp).classes());
  }
}
