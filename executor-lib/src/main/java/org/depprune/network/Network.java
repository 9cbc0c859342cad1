package org.depprune.network;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;

/**
 * One view of a DL4J network, whether it is a {@code ComputationGraph} or a
 * {@code MultiLayerNetwork}: the only place in DepPrune that tells the two apart. Layers are
 * addressed by name; a {@code MultiLayerNetwork} layer's name is its own or, when it has none,
 * its index ({@link #layerName(org.deeplearning4j.nn.conf.MultiLayerConfiguration, int)}).
 *
 * <pre>{@code
 * Network net = Network.of(model);                 // either kind
 * for (Network.Vertex v : net.vertices()) { ... }  // inputs, layers and vertices in topological order
 * INDArray scores = net.output(batch);             // inference
 * }</pre>
 */
public sealed interface Network permits GraphNetwork, SequentialNetwork {

  /** The adapter for {@code model}: a ComputationGraph or a MultiLayerNetwork, else an error. */
  static Network of(Model model) {
    if (model instanceof ComputationGraph graph) {
      return new GraphNetwork(graph);
    }
    if (model instanceof MultiLayerNetwork sequential) {
      return new SequentialNetwork(sequential);
    }
    throw new IllegalArgumentException(
        "DepPrune works on ComputationGraph and MultiLayerNetwork models, found "
            + (model == null ? "null" : model.getClass().getName()));
  }

  /** The name DepPrune gives layer {@code i} of a MultiLayerNetwork: its own, or its index. */
  static String layerName(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf, int i) {
    String name = conf.getConf(i).getLayer().getLayerName();
    return name != null ? name : String.valueOf(i);
  }

  /** What a vertex of the network is. */
  enum Kind {
    /** A network input: its channels are the data's. */
    INPUT,
    /** A layer (with or without parameters). */
    LAYER,
    /** A ComputationGraph vertex that is not a layer: merge, element-wise, subset, ... */
    VERTEX
  }

  /**
   * One node of the network before DepPrune knows its channels.
   *
   * @param config the DL4J configuration: a {@code Layer} for layers, a {@code GraphVertex} for
   *     vertices, {@code null} for inputs
   * @param inputs the names of the nodes that feed it, in order
   * @param preProcessor the input preprocessor DL4J applies before a layer, or {@code null}
   */
  record Vertex(String name, Kind kind, Object config, List<String> inputs, InputPreProcessor preProcessor) {
    public Vertex {
      inputs = List.copyOf(inputs);
    }
  }

  /** The wrapped DL4J network. */
  Model model();

  /**
   * The number of classes: the outputs of the first network output's layer, or -1 when that layer
   * does not say (a loss layer without units).
   */
  default long classes() {
    String output = outputs().get(0);
    return vertices().stream().filter(v -> v.name().equals(output)).findFirst()
        .map(Vertex::config)
        .filter(c -> c instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer)
        .map(c -> ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) c).getNOut())
        .orElse(-1L);
  }

  /** Every input, layer and vertex, in topological order (inputs first). */
  List<Vertex> vertices();

  /** The names of the network's inputs, in input order. */
  default List<String> inputNames() {
    return vertices().stream().filter(v -> v.kind() == Kind.INPUT).map(Vertex::name).toList();
  }

  /** The names of the network's outputs. */
  List<String> outputs();

  /**
   * The type of every vertex's output (and of every input) for one example of
   * {@code inputTypes}, one per network input.
   */
  Map<String, InputType> activationTypes(InputType... inputTypes);

  /**
   * The parameters of layer or vertex {@code name}, by DL4J key (views: do not modify); empty for
   * inputs and parameter-free vertices.
   */
  Map<String, INDArray> params(String name);

  /** Every parameter, as one vector. */
  default INDArray params() {
    return model().params();
  }

  /** Every parameter, counted from the vector: DL4J's {@code numParams()} leaves out an attention vertex's. */
  default long numParams() {
    INDArray params = model().params();
    return params == null ? model().numParams() : params.length();
  }

  /**
   * Overwrites parameter {@code key} of layer {@code name} in place: the network's parameter
   * vector sees the change, nothing else does.
   */
  default void setParam(String name, String key, INDArray value) {
    INDArray param = params(name).get(key);
    if (param == null) {
      throw new IllegalArgumentException(
          "layer '" + name + "' has no parameter '" + key + "'; it has " + params(name).keySet());
    }
    if (param.length() != value.length()) {
      throw new IllegalArgumentException("parameter '" + key + "' of layer '" + name + "' has "
          + param.length() + " entries, found a value of " + value.length());
    }
    param.assign(value.reshape(param.shape()).castTo(param.dataType()));
  }

  /** The (first) output of an inference-mode forward pass. */
  INDArray output(INDArray input);

  /**
   * An independent copy of the network (DL4J's {@code clone()}: its own parameters and layers,
   * the layers built anew, so with the layer helpers of the CPU engine now in effect).
   */
  Model copy();

  /**
   * The input of every {@code BatchNormalization} layer (after its input preprocessor), by layer
   * name in topological order, from one forward pass of {@code input} in which those layers
   * normalise with the batch's own mean and variance (training mode) while every other layer and
   * vertex runs in inference mode: no dropout, no weight noise. No parameter changes; afterwards
   * the layers' stored inputs and masks are cleared, as after {@link #output}. A network of one
   * input only.
   */
  Map<String, INDArray> batchNormInputs(INDArray input);

  /** One training step on {@code batch}. */
  default void fit(DataSet batch) {
    ((NeuralNetwork) model()).fit(batch);
  }

  /** The loss of the last training step. */
  default double score() {
    return model().score();
  }

  /** The mean loss on {@code batch} in inference mode (regularisation included). */
  double score(DataSet batch);

  /**
   * The gradient of the loss on {@code batch}, by layer name and parameter key, without updating
   * the network: DL4J's minibatch sum.
   */
  Map<String, Map<String, INDArray>> gradients(DataSet batch);

  /** The name DL4J gives the gradient of {@code layer}'s parameter {@code key} while training. */
  String gradientKey(String layer, String key);

  /** Advances the epoch counter (epoch-based learning-rate schedules read it). */
  void incrementEpochCount();

  /**
   * Adds {@code batch}'s classification statistics, in inference mode, to {@code evaluation}: one
   * batch at a time, so a caller can pause between batches. DL4J's own evaluation does the work
   * (on a one-batch iterator), so masks, metadata and workspaces are handled as in {@code
   * doEvaluation} over a whole iterator, and the counts add up to the same.
   */
  default void evaluate(DataSet batch, Evaluation evaluation) {
    ((NeuralNetwork) model()).doEvaluation(new SingletonDataSetIterator(batch), evaluation);
  }

  /** Sets every layer's learning rate. */
  void setLearningRate(double learningRate);

  /** The runtime layers, in DL4J's order (their {@code conf()} is what training reads). */
  List<org.deeplearning4j.nn.api.Layer> runtimeLayers();

  /** The configuration's iteration counter: minibatch steps trained so far. */
  int iterationCount();

  /** The configuration's epoch counter: passes trained so far. */
  int epochCount();

  /**
   * Drops the updater and its state: the next training step builds a fresh one from the layers'
   * current updater configurations.
   */
  void resetUpdater();

  /** An editable copy of the configuration, from which a new network is built. */
  Blueprint blueprint();

  /**
   * A cloned configuration whose layers, vertices and preprocessors may be changed in place
   * (new channel counts) before {@link #build} makes a network of it.
   */
  interface Blueprint {
    /** The cloned configuration of layer or vertex {@code name}: a {@code Layer} or a {@code GraphVertex}. */
    Object config(String name);

    /** The cloned input preprocessor of layer {@code name}, or {@code null}. */
    InputPreProcessor preProcessor(String name);

    /** How many parameters a network of this configuration has. */
    long numParams();

    /**
     * A network of this configuration on {@code flatParams} (its parameter vector, used as is:
     * no weight initialisation).
     */
    Network build(INDArray flatParams);
  }
}
