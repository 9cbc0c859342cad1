package org.depprune.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Network} over a {@code MultiLayerNetwork}: a chain fed by one input, called
 * {@code input} (or {@code network-input} when a layer already has that name); each layer is
 * named by {@link Network#layerName}. DL4J keys its gradients by layer index, which this maps.
 */
record SequentialNetwork(MultiLayerNetwork model) implements Network {

  private MultiLayerConfiguration conf() {
    return model.getLayerWiseConfigurations();
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < conf().getConfs().size(); i++) {
      names.add(Network.layerName(conf(), i));
    }
    return names;
  }

  private String inputName(List<String> names) {
    return names.contains("input") ? "network-input" : "input";
  }

  /** The index of layer {@code name}, or -1. */
  private static int index(MultiLayerConfiguration conf, String name) {
    for (int i = 0; i < conf.getConfs().size(); i++) {
      if (Network.layerName(conf, i).equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public List<Vertex> vertices() {
    List<String> names = names();
    String input = inputName(names);
    List<Vertex> vertices = new ArrayList<>();
    vertices.add(new Vertex(input, Kind.INPUT, null, List.of(), null));
    for (int i = 0; i < names.size(); i++) {
      vertices.add(new Vertex(names.get(i), Kind.LAYER, conf().getConf(i).getLayer(),
          List.of(i == 0 ? input : names.get(i - 1)), conf().getInputPreProcess(i)));
    }
    return List.copyOf(vertices);
  }

  @Override
  public List<String> outputs() {
    List<String> names = names();
    return List.of(names.get(names.size() - 1));
  }

  @Override
  public Map<String, InputType> activationTypes(InputType... inputTypes) {
    if (inputTypes.length != 1) {
      throw new IllegalArgumentException(
          "a MultiLayerNetwork has one input, found " + inputTypes.length + " input types");
    }
    List<String> names = names();
    List<InputType> out = conf().getLayerActivationTypes(inputTypes[0]);
    Map<String, InputType> types = new HashMap<>();
    types.put(inputName(names), inputTypes[0]);
    for (int i = 0; i < out.size(); i++) {
      types.put(names.get(i), out.get(i));
    }
    return types;
  }

  @Override
  public Map<String, INDArray> params(String name) {
    int i = index(conf(), name);
    return i < 0 ? Map.of() : model.getLayer(i).paramTable();
  }

  @Override
  public org.deeplearning4j.nn.api.Model copy() {
    return model.clone();
  }

  @Override
  public INDArray output(INDArray input) {
    return model.output(input, false);
  }

  @Override
  public Map<String, INDArray> batchNormInputs(INDArray input) {
    return BatchNormForward.sequential(model, input);
  }

  @Override
  public double score(DataSet batch) {
    return model.score(batch, false);
  }

  @Override
  public Map<String, Map<String, INDArray>> gradients(DataSet batch) {
    model.setInput(batch.getFeatures());
    model.setLabels(batch.getLabels());
    model.computeGradientAndScore();
    Map<String, Map<String, INDArray>> byLayer = new LinkedHashMap<>();
    model.gradient().gradientForVariable().forEach((variable, g) -> {
      int split = variable.indexOf('_');
      String layer = Network.layerName(conf(), Integer.parseInt(variable.substring(0, split)));
      byLayer.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(variable.substring(split + 1), g);
    });
    return byLayer;
  }

  @Override
  public String gradientKey(String layer, String key) {
    int i = index(conf(), layer);
    if (i < 0) {
      throw new IllegalArgumentException("no layer named '" + layer + "'; the network has " + names());
    }
    return i + "_" + key;
  }

  @Override
  public void incrementEpochCount() {
    model.incrementEpochCount();
  }

  @Override
  public void setLearningRate(double learningRate) {
    model.setLearningRate(learningRate);
  }

  @Override
  public List<org.deeplearning4j.nn.api.Layer> runtimeLayers() {
    return java.util.Arrays.asList(model.getLayers());
  }

  @Override
  public int iterationCount() {
    return model.getLayerWiseConfigurations().getIterationCount();
  }

  @Override
  public int epochCount() {
    return model.getLayerWiseConfigurations().getEpochCount();
  }

  @Override
  public void resetUpdater() {
    model.setUpdater(null);
  }

  @Override
  public Blueprint blueprint() {
    MultiLayerConfiguration conf = ConfigCopies.of(conf());
    return new Blueprint() {
      @Override
      public Object config(String name) {
        return conf.getConf(require(name)).getLayer();
      }

      @Override
      public InputPreProcessor preProcessor(String name) {
        return conf.getInputPreProcess(require(name));
      }

      private int require(String name) {
        int i = index(conf, name);
        if (i < 0) {
          throw new IllegalArgumentException("no layer named '" + name + "' in the MultiLayerNetwork");
        }
        return i;
      }

      @Override
      public long numParams() {
        long n = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
          n += layer.getLayer().initializer().numParams(layer);
        }
        return n;
      }

      @Override
      public Network build(INDArray flatParams) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(flatParams, false);
        return new SequentialNetwork(net);
      }
    };
  }
}
