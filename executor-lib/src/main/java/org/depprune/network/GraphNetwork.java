package org.depprune.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** {@link Network} over a {@code ComputationGraph}: layers and vertices by their own names. */
record GraphNetwork(ComputationGraph model) implements Network {

  @Override
  public List<Vertex> vertices() {
    ComputationGraphConfiguration conf = model.getConfiguration();
    Set<String> inputs = Set.copyOf(conf.getNetworkInputs());
    List<Vertex> vertices = new ArrayList<>();
    for (int index : model.topologicalSortOrder()) {
      String name = model.getVertices()[index].getVertexName();
      if (inputs.contains(name)) {
        vertices.add(new Vertex(name, Kind.INPUT, null, List.of(), null));
        continue;
      }
      GraphVertex vertex = conf.getVertices().get(name);
      List<String> from = conf.getVertexInputs().get(name);
      if (vertex instanceof LayerVertex layer) {
        vertices.add(new Vertex(name, Kind.LAYER, layer.getLayerConf().getLayer(), from, layer.getPreProcessor()));
      } else {
        vertices.add(new Vertex(name, Kind.VERTEX, vertex, from, null));
      }
    }
    return List.copyOf(vertices);
  }

  @Override
  public List<String> inputNames() {
    return List.copyOf(model.getConfiguration().getNetworkInputs());
  }

  @Override
  public List<String> outputs() {
    return List.copyOf(model.getConfiguration().getNetworkOutputs());
  }

  @Override
  public Map<String, InputType> activationTypes(InputType... inputTypes) {
    ComputationGraphConfiguration conf = model.getConfiguration();
    List<String> inputs = conf.getNetworkInputs();
    if (inputTypes.length != inputs.size()) {
      throw new IllegalArgumentException(
          "the network has " + inputs.size() + " inputs " + inputs + ", found " + inputTypes.length + " input types");
    }
    Map<String, InputType> types = new HashMap<>(conf.getLayerActivationTypes(inputTypes));
    for (int i = 0; i < inputTypes.length; i++) {
      types.put(inputs.get(i), inputTypes[i]);
    }
    return types;
  }

  @Override
  public Map<String, INDArray> params(String name) {
    var layer = model.getLayer(name);
    if (layer != null) {
      return layer.paramTable();
    }
    var vertex = model.getVertex(name);
    return vertex == null ? Map.of() : vertex.paramTable(false); // an attention vertex has parameters
  }

  @Override
  public org.deeplearning4j.nn.api.Model copy() {
    return model.clone();
  }

  @Override
  public INDArray output(INDArray input) {
    return model.output(false, input)[0];
  }

  @Override
  public Map<String, INDArray> batchNormInputs(INDArray input) {
    return BatchNormForward.graph(model, input);
  }

  @Override
  public double score(DataSet batch) {
    return model.score(batch, false);
  }

  @Override
  public Map<String, Map<String, INDArray>> gradients(DataSet batch) {
    model.setInputs(batch.getFeatures());
    model.setLabels(batch.getLabels());
    model.computeGradientAndScore();
    Map<String, Map<String, INDArray>> byLayer = new LinkedHashMap<>();
    model.gradient().gradientForVariable().forEach((variable, g) -> {
      int split = variable.lastIndexOf('_');
      byLayer.computeIfAbsent(variable.substring(0, split), k -> new LinkedHashMap<>())
          .put(variable.substring(split + 1), g);
    });
    return byLayer;
  }

  @Override
  public String gradientKey(String layer, String key) {
    return layer + "_" + key;
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
    return model.getConfiguration().getIterationCount();
  }

  @Override
  public int epochCount() {
    return model.getConfiguration().getEpochCount();
  }

  @Override
  public void resetUpdater() {
    model.setUpdater(null);
  }

  @Override
  public Blueprint blueprint() {
    ComputationGraphConfiguration conf = ConfigCopies.of(model.getConfiguration());
    return new Blueprint() {
      @Override
      public Object config(String name) {
        GraphVertex vertex = conf.getVertices().get(name);
        return vertex instanceof LayerVertex layer ? layer.getLayerConf().getLayer() : vertex;
      }

      @Override
      public InputPreProcessor preProcessor(String name) {
        return conf.getVertices().get(name) instanceof LayerVertex layer ? layer.getPreProcessor() : null;
      }

      @Override
      public long numParams() {
        long n = 0;
        for (GraphVertex vertex : conf.getVertices().values()) {
          if (vertex instanceof LayerVertex layer) {
            n += layer.getLayerConf().getLayer().initializer().numParams(layer.getLayerConf());
          } else {
            n += vertex.numParams(true); // an attention vertex's projections; 0 for the others
          }
        }
        return n;
      }

      @Override
      public Network build(INDArray flatParams) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init(flatParams, false);
        return new GraphNetwork(net);
      }
    };
  }
}
