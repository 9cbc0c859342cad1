package org.depprune.graph;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny recurrent networks: bidirectional layers in every mode, Graves LSTMs, wrappers, rnn vertices. */
final class RecurrentFixtures {
  private RecurrentFixtures() {}

  private static INDArray input(long... shape) {
    return Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(13), shape);
  }

  private static GraphBuilder graph(InputType input) {
    return new NeuralNetConfiguration.Builder()
        .seed(17).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in").setInputTypes(input);
  }


  private static LSTM lstm(int n) {
    return new LSTM.Builder().nOut(n).activation(Activation.TANH).build();
  }

  private static RnnOutputLayer rnnOutput(int classes) {
    return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build();
  }

  /**
   * Bidirectional(LSTM, 6 units) in CONCAT mode, then a per-step classifier of 2 classes
   * (MultiLayerNetwork, SGD): the network the pruning-then-training test uses.
   */
  static Fixtures.Fixture biLstmClassifier() {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(19).weightInit(WeightInit.XAVIER).updater(new Sgd(0.1))
        .list()
        .layer(new Bidirectional(Bidirectional.Mode.CONCAT, lstm(6)))
        .layer(rnnOutput(2))
        .setInputType(InputType.recurrent(3, 5))
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return new Fixtures.Fixture("bilstm-classifier", net, input(4, 3, 5));
  }

  /** Bidirectional(LSTM) CONCAT, LastTimeStep(LSTM), dense, output. */
  static Fixtures.Fixture biLstmLastStep() {
    GraphBuilder b = graph(InputType.recurrent(3, 5));
    b.addLayer("bi", new Bidirectional(Bidirectional.Mode.CONCAT, lstm(5)), "in")
        .addLayer("last", new LastTimeStep(lstm(4)), "bi")
        .addLayer("d", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "last")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build(), "d")
        .setOutputs("out");
    return new Fixtures.Fixture("bilstm-last-step", Fixtures.init(b), input(2, 3, 5));
  }

  private static Layer bi(Bidirectional.Mode mode, Layer inner) {
    return new Bidirectional(mode, inner);
  }

  /** ADD over LSTM, MUL over SimpleRnn, AVERAGE over GravesLSTM, then a CONCAT over SimpleRnn. */
  static Fixtures.Fixture biModes() {
    GraphBuilder b = graph(InputType.recurrent(3, 4));
    b.addLayer("add", bi(Bidirectional.Mode.ADD, lstm(5)), "in")
        .addLayer("mul", bi(Bidirectional.Mode.MUL, new SimpleRnn.Builder().nOut(4).activation(Activation.TANH).build()), "add")
        .addLayer("avg", bi(Bidirectional.Mode.AVERAGE, new GravesLSTM.Builder().nOut(5).activation(Activation.TANH).build()), "mul")
        .addLayer("cat", bi(Bidirectional.Mode.CONCAT, new SimpleRnn.Builder().nOut(4).activation(Activation.TANH).build()), "avg")
        .addLayer("out", rnnOutput(2), "cat")
        .setOutputs("out");
    ComputationGraph net = Fixtures.init(b);
    strongPeepholes(net.getLayer("avg").paramTable(), "fRW", "bRW");
    return new Fixtures.Fixture("bidirectional-modes", net, input(2, 3, 4));
  }

  /** GravesLSTM, GravesBidirectionalLSTM, MaskZeroLayer(LSTM), per-step output. */
  static Fixtures.Fixture graves() {
    GraphBuilder b = graph(InputType.recurrent(3, 4));
    b.addLayer("g", new GravesLSTM.Builder().nOut(5).activation(Activation.TANH).build(), "in")
        .addLayer("gb", new GravesBidirectionalLSTM.Builder().nOut(4).activation(Activation.TANH).build(), "g")
        .addLayer("mz", new MaskZeroLayer(lstm(4), 0.0), "gb")
        .addLayer("out", rnnOutput(2), "mz")
        .setOutputs("out");
    ComputationGraph net = Fixtures.init(b);
    strongPeepholes(net.getLayer("g").paramTable(), "RW");
    strongPeepholes(net.getLayer("gb").paramTable(), "RWF", "RWB");
    return new Fixtures.Fixture("graves-lstm", net, input(2, 3, 4));
  }

  /**
   * Peephole weights of order 1 (the last 3 columns of the recurrent weights), so a peephole
   * sliced to the wrong unit changes the outputs well beyond the test's tolerance.
   */
  private static void strongPeepholes(java.util.Map<String, INDArray> params, String... keys) {
    for (String key : keys) {
      INDArray rw = params.get(key);
      long columns = rw.size(1);
      INDArray peepholes = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(columns - 3, columns));
      peepholes.assign(Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(29), peepholes.shape()).muli(4).subi(2));
    }
  }

  /**
   * LSTM, reversed in time, TimeDistributed(dense), mask layer, last time step, dense, duplicated
   * over the input's steps, simple RNN, RnnLossLayer (the network's output).
   */
  static Fixtures.Fixture rnnVertices() {
    GraphBuilder b = graph(InputType.recurrent(3, 4));
    b.addLayer("l", lstm(5), "in")
        .addVertex("rev", new ReverseTimeSeriesVertex(), "l")
        .addLayer("td", new TimeDistributed(new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build()), "rev")
        .addLayer("mask", new MaskLayer(), "td")
        .addVertex("last", new LastTimeStepVertex("in"), "mask")
        .addLayer("d", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "last")
        .addVertex("dup", new DuplicateToTimeSeriesVertex("in"), "d")
        .addLayer("r", new SimpleRnn.Builder().nOut(3).activation(Activation.TANH).build(), "dup")
        .addLayer("out", new RnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "r")
        .setOutputs("out");
    return new Fixtures.Fixture("rnn-vertices", Fixtures.init(b), input(2, 3, 4));
  }

  /** EmbeddingSequenceLayer (7 symbols, 5 dimensions), LSTM, last step, RepeatVector, LSTM, output. */
  static Fixtures.Fixture embeddingSequence() {
    // No input types: DL4J would set the embedding's nIn (the vocabulary) to the input width.
    GraphBuilder b = new NeuralNetConfiguration.Builder()
        .seed(23).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in");
    b.addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(7).nOut(5).inputLength(4).build(), "in")
        .addLayer("l", new LastTimeStep(new LSTM.Builder().nIn(5).nOut(4).activation(Activation.TANH).build()), "emb")
        .addLayer("rep", new RepeatVector.Builder(3).nIn(4).nOut(4).build(), "l")
        .addLayer("l2", new LSTM.Builder().nIn(4).nOut(3).activation(Activation.TANH).build(), "rep")
        .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX).build(), "l2")
        .setOutputs("out");
    INDArray symbols = Nd4j.createFromArray(new float[][] {{0, 3, 6, 1}, {5, 2, 2, 4}});
    return new Fixtures.Fixture("embedding-sequence", Fixtures.init(b), symbols);
  }
}
