package org.depprune.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The inference copy computes what the original computes, without its batch norms and dropout. */
class InferenceCopyTest {

  /** Batch norm statistics and scales far from the identity, so folding does something. */
  private static void randomiseBatchNorms(Model net) {
    var random = Nd4j.getRandomFactory().getNewRandomInstance(5);
    for (org.deeplearning4j.nn.api.Layer layer : layers(net)) {
      if (layer.conf().getLayer() instanceof BatchNormalization bn) {
        var p = layer.paramTable();
        p.get("gamma").assign(Nd4j.rand(random, p.get("gamma").shape()).addi(0.5));
        p.get("beta").assign(Nd4j.rand(random, p.get("beta").shape()).subi(0.5));
        p.get("mean").assign(Nd4j.rand(random, p.get("mean").shape()).subi(0.5));
        String std = bn.isUseLogStd() ? "log10stdev" : "var";
        p.get(std).assign(Nd4j.rand(random, p.get(std).shape()).muli(bn.isUseLogStd() ? 0.6 : 2).addi(bn.isUseLogStd() ? -0.3 : 0.2));
      }
    }
  }

  private static org.deeplearning4j.nn.api.Layer[] layers(Model net) {
    return net instanceof ComputationGraph g ? g.getLayers() : ((MultiLayerNetwork) net).getLayers();
  }

  private static long count(Model net, Class<?> type) {
    return Arrays.stream(layers(net)).filter(l -> type.isInstance(l.conf().getLayer())).count();
  }

  private static INDArray output(Model net, INDArray input) {
    return net instanceof ComputationGraph g ? g.outputSingle(false, input) : ((MultiLayerNetwork) net).output(input, false);
  }

  private static void assertSameOutputs(Model expected, Model actual, INDArray input, double tolerance) {
    INDArray a = output(expected, input);
    INDArray b = output(actual, input);
    assertArrayEquals(a.shape(), b.shape());
    double relative = a.sub(b).norm2Number().doubleValue() / a.norm2Number().doubleValue();
    assertTrue(relative < tolerance, "relative difference " + relative);
  }

  /**
   * The folding itself, free of float rounding: the base model in double precision with batch
   * norm statistics far from the identity computes the same to 1e-10.
   */
  @Test
  void theBaseModelLosesEveryBatchNormAndComputesTheSame() {
    ComputationGraph base = BaseModel.create(BaseModel.Spec.defaults()).convertDataType(DataType.DOUBLE);
    randomiseBatchNorms(base);
    INDArray before = base.params().dup();
    InferenceCopy.Result copy = InferenceCopy.of(base);
    long norms = count(base, BatchNormalization.class);
    assertTrue(norms >= 5, "the base model has " + norms + " batch norms");
    assertEquals(norms, copy.folded().size(), "folded: " + copy.folded());
    assertEquals(0, count(copy.network(), BatchNormalization.class));
    // The ReLUs right after a folded convolution join it; those after a residual add stay.
    assertEquals(List.of("stem_relu into stem", "block1_conv1_relu into block1_conv1", "down_relu into down",
        "block2_conv1_relu into block2_conv1"), copy.fused());
    assertEquals(count(base, ActivationLayer.class) - 4, count(copy.network(), ActivationLayer.class));
    long normParams = Arrays.stream(base.getLayers())
        .filter(l -> l.conf().getLayer() instanceof BatchNormalization).mapToLong(l -> l.numParams()).sum();
    long biasesAdded = Arrays.stream(base.getLayers())
        .filter(l -> l.conf().getLayer() instanceof ConvolutionLayer conv && !conv.hasBias())
        .mapToLong(l -> ((ConvolutionLayer) l.conf().getLayer()).getNOut()).sum();
    assertEquals(base.numParams() - normParams + biasesAdded, copy.network().numParams(),
        "batch norms' 4 parameters per channel go; biases the convolutions lacked come");
    INDArray input = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(2), 4, 1, 28, 28).castTo(DataType.DOUBLE);
    assertSameOutputs(base, copy.network(), input, 1e-10);
    assertEquals(before, base.params(), "the original is untouched");
  }

  /** The committed, trained model in float: the deployed copy is equal within 1e-5 relative. */
  @Test
  void theCommittedModelsCopyIsEqualWithin1e5() throws java.io.IOException {
    Model model = org.depprune.model.ModelFiles.load(java.nio.file.Path.of("..", "models", "base-resnet.zip"));
    InferenceCopy.Result copy = InferenceCopy.of(model);
    assertTrue(copy.folded().size() >= 5, "folded: " + copy.folded());
    assertSameOutputs(model, copy.network(), Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(6), 16, 1, 28, 28), 1e-5);
  }

  @Test
  void aSequentialNetworkLosesItsDropoutAndFoldableBatchNormsOnly() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4)
        .convolutionMode(ConvolutionMode.Same).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).hasBias(false).activation(Activation.IDENTITY).build())
        .layer(new BatchNormalization.Builder().useLogStd(true).build())
        .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
        .layer(new DropoutLayer.Builder(0.5).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.RELU).dropOut(0.7).build())
        .layer(new BatchNormalization.Builder().useLogStd(false).build()) // after a ReLU: not foldable
        .layer(new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build())
        .layer(new BatchNormalization.Builder().activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(6, 6, 2)).build());
    net.init();
    randomiseBatchNorms(net);
    InferenceCopy.Result copy = InferenceCopy.of(net);
    assertEquals(List.of("layer1 into layer0", "layer7 into layer6"), copy.folded());
    assertEquals(List.of("layer3"), copy.removed());
    assertEquals(List.of("layer2 into layer0"), copy.fused(), "the ReLU after the folded batch norm");
    MultiLayerNetwork exported = (MultiLayerNetwork) copy.network();
    assertEquals(5, exported.getnLayers(), "9 layers less two folded batch norms, one ReLU and one dropout");
    assertEquals(1, count(exported, BatchNormalization.class), "the batch norm after a ReLU stays");
    assertTrue(Arrays.stream(exported.getLayers()).allMatch(l -> l.conf().getLayer().getIDropout() == null));
    // conv 0 gains 6 biases and loses its batch norm's 4 x 6; the dense layer loses 4 x 8.
    assertEquals(net.numParams() + 6 - 24 - 32, exported.numParams());
    assertSameOutputs(net, exported, Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), 3, 2, 6, 6), 1e-5);
  }
}
