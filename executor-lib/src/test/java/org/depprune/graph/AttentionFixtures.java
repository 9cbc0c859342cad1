package org.depprune.graph;

import org.depprune.layers.AttentionMode;
import org.depprune.layers.PrunerRegistry;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.AttentionVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny attention networks: self-attention (heads and per-head dimensions) and recurrent attention. */
final class AttentionFixtures {
  private AttentionFixtures() {}

  static java.util.List<Fixtures.Fixture> all() {
    return java.util.List.of(
        selfAttention(AttentionMode.HEADS), selfAttention(AttentionMode.DIMS),
        recurrentAttention(AttentionMode.HEADS), recurrentAttention(AttentionMode.DIMS),
        attentionVertex(AttentionMode.HEADS), attentionVertex(AttentionMode.DIMS));
  }

  /**
   * Two simple RNNs: the first (6 units) gives an attention vertex its queries and keys, the
   * second (5 units) its values; 2 heads of size 3, 4 outputs, pooled into a 2-class output.
   */
  static Fixtures.Fixture attentionVertex(AttentionMode mode) {
    GraphBuilder b = graph(InputType.recurrent(3, 5));
    b.addLayer("qk", new SimpleRnn.Builder().nOut(6).activation(Activation.TANH).build(), "in")
        .addLayer("v", new SimpleRnn.Builder().nOut(5).activation(Activation.TANH).build(), "in")
        .addVertex("att", new AttentionVertex.Builder().nInQueries(6).nInKeys(6).nInValues(5).nOut(4)
            .nHeads(2).headSize(3).projectInput(true).build(), "qk", "qk", "v")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "att")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build(), "gap")
        .setOutputs("out");
    return new Fixtures.Fixture("attention-vertex-" + mode.name().toLowerCase(java.util.Locale.ROOT),
        Fixtures.init(b), input(2, 3, 5), PrunerRegistry.defaults().withAttentionHeads(mode));
  }

  /**
   * A sequence [N, 5, 6] into a simple RNN of 8 units, self-attention (4 heads of size 3,
   * projected, 6 outputs), average pooling over time and a 3-class output layer.
   */
  static ComputationGraph selfAttentionClassifier() {
    GraphBuilder b = graph(InputType.recurrent(5, 6));
    b.addLayer("rnn", new SimpleRnn.Builder().nOut(8).activation(Activation.TANH).build(), "in")
        .addLayer("sa", new SelfAttentionLayer.Builder().nOut(6).nHeads(4).headSize(3).projectInput(true).build(), "rnn")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "sa")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build(), "gap")
        .setOutputs("out");
    return Fixtures.init(b);
  }

  static Fixtures.Fixture selfAttention(AttentionMode mode) {
    return new Fixtures.Fixture("self-attention-" + mode.name().toLowerCase(java.util.Locale.ROOT),
        selfAttentionClassifier(), input(3, 5, 6), PrunerRegistry.defaults().withAttentionHeads(mode));
  }

  /** A simple RNN of 4 units into recurrent attention (5 units, 2 heads of size 3), pooled. */
  static Fixtures.Fixture recurrentAttention(AttentionMode mode) {
    GraphBuilder b = graph(InputType.recurrent(3, 4));
    b.addLayer("rnn", new SimpleRnn.Builder().nOut(4).activation(Activation.TANH).build(), "in")
        .addLayer("ra", new RecurrentAttentionLayer.Builder().nOut(5).nHeads(2).headSize(3).projectInput(true).activation(Activation.TANH).build(), "rnn")
        .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "ra")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build(), "gap")
        .setOutputs("out");
    ComputationGraph net = Fixtures.init(b);
    net.getLayer("ra").getParam("b").assign(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(2), 1, 5).subi(0.5).reshape(5));
    return new Fixtures.Fixture("recurrent-attention-" + mode.name().toLowerCase(java.util.Locale.ROOT),
        net, input(2, 3, 4), PrunerRegistry.defaults().withAttentionHeads(mode));
  }

  private static GraphBuilder graph(InputType input) {
    return new NeuralNetConfiguration.Builder()
        .seed(12)
        .weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs("in")
        .setInputTypes(input);
  }


  private static INDArray input(long... shape) {
    return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(13), shape);
  }
}
