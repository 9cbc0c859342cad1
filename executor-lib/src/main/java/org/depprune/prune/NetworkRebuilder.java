package org.depprune.prune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the pruned copy of a network: its configuration is cloned and every changed layer,
 * vertex and preprocessor gets its new channel counts from its pruner; then one parameter vector
 * is allocated, the new network is initialised on it without weight initialisation, and every
 * layer's parameters, sliced from the original's, are written into their views of that vector.
 * The original network is not modified.
 */
public final class NetworkRebuilder {
  private NetworkRebuilder() {}

  /** The name DepPrune gives layer {@code i} of a MultiLayerNetwork: its own, or its index. */
  public static String layerName(MultiLayerConfiguration conf, int i) {
    String name = conf.getConf(i).getLayer().getLayerName();
    return name != null ? name : String.valueOf(i);
  }

  /**
   * The pruned copy of {@code net}.
   *
   * @param keeps the surviving positions of every node that loses channels, by node name
   */
  public static Model rebuild(Model net, PrunerRegistry registry, Map<String, Keep> keeps) {
    if (net instanceof ComputationGraph graph) {
      return rebuild(graph, registry, keeps);
    }
    if (net instanceof MultiLayerNetwork sequential) {
      return rebuild(sequential, registry, keeps);
    }
    throw new IllegalArgumentException(
        "only ComputationGraph and MultiLayerNetwork can be pruned, found " + net.getClass().getName());
  }

  static ComputationGraph rebuild(ComputationGraph net, PrunerRegistry registry, Map<String, Keep> keeps) {
    ComputationGraphConfiguration original = net.getConfiguration();
    ComputationGraphConfiguration conf = original.clone();
    Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
    for (var entry : conf.getVertices().entrySet()) {
      String name = entry.getKey();
      GraphVertex vertex = entry.getValue();
      Keep keep = keeps.get(name);
      if (vertex instanceof LayerVertex layerVertex) {
        Layer oldLayer = ((LayerVertex) original.getVertices().get(name)).getLayerConf().getLayer();
        Map<String, INDArray> old = net.getLayer(name).paramTable();
        if (keep == null) {
          params.put(name, old);
          continue;
        }
        resizeLayer(registry, name, layerVertex.getLayerConf().getLayer(), keep);
        resizePreprocessor(registry, layerVertex.getPreProcessor(), keep);
        params.put(name, pruner(registry, name, oldLayer).slice(oldLayer, old, keep.in(), keep.out()));
      } else if (keep != null) {
        resizeLayer(registry, name, vertex, keep);
      }
    }
    long numParams = 0;
    for (GraphVertex vertex : conf.getVertices().values()) {
      if (vertex instanceof LayerVertex layerVertex) {
        numParams += numParams(layerVertex.getLayerConf());
      }
    }
    INDArray flat = Nd4j.create(dataType(net.params()), 1, numParams);
    ComputationGraph pruned = new ComputationGraph(conf);
    pruned.init(flat, false);
    params.forEach((name, values) -> write(name, values, pruned.getLayer(name).paramTable()));
    return pruned;
  }

  static MultiLayerNetwork rebuild(MultiLayerNetwork net, PrunerRegistry registry, Map<String, Keep> keeps) {
    MultiLayerConfiguration original = net.getLayerWiseConfigurations();
    MultiLayerConfiguration conf = original.clone();
    int n = conf.getConfs().size();
    Map<Integer, Map<String, INDArray>> params = new LinkedHashMap<>();
    long numParams = 0;
    for (int i = 0; i < n; i++) {
      String name = layerName(original, i);
      Keep keep = keeps.get(name);
      Map<String, INDArray> old = net.getLayer(i).paramTable();
      if (keep == null) {
        params.put(i, old);
      } else {
        Layer oldLayer = original.getConf(i).getLayer();
        resizeLayer(registry, name, conf.getConf(i).getLayer(), keep);
        resizePreprocessor(registry, conf.getInputPreProcess(i), keep);
        params.put(i, pruner(registry, name, oldLayer).slice(oldLayer, old, keep.in(), keep.out()));
      }
      numParams += numParams(conf.getConf(i));
    }
    INDArray flat = Nd4j.create(dataType(net.params()), 1, numParams);
    MultiLayerNetwork pruned = new MultiLayerNetwork(conf);
    pruned.init(flat, false);
    params.forEach((i, values) -> write(layerName(conf, i), values, pruned.getLayer(i).paramTable()));
    return pruned;
  }

  private static <T> void resizeLayer(PrunerRegistry registry, String name, T config, Keep keep) {
    pruner(registry, name, config).resize(config, keep.in(), keep.out());
  }

  private static <T extends InputPreProcessor> void resizePreprocessor(
      PrunerRegistry registry, T preProcessor, Keep keep) {
    if (preProcessor != null && !keep.producers().isEmpty()) {
      registry.preprocessor(preProcessor).ifPresent(p -> p.resize(preProcessor, keep.producers().get(0)));
    }
  }

  private static <T> LayerPruner<T> pruner(PrunerRegistry registry, String name, T config) {
    return registry
        .layer(config)
        .orElseThrow(
            () -> new IllegalStateException(
                "no LayerPruner for '" + name + "' (" + config.getClass().getSimpleName() + ")"));
  }

  private static long numParams(NeuralNetConfiguration layerConf) {
    return layerConf.getLayer().initializer().numParams(layerConf);
  }

  private static DataType dataType(INDArray params) {
    return params == null ? DataType.FLOAT : params.dataType();
  }

  private static void write(String layer, Map<String, INDArray> values, Map<String, INDArray> views) {
    if (!values.keySet().equals(views.keySet())) {
      throw new IllegalStateException(
          "layer '" + layer + "': sliced parameters " + values.keySet() + " but the pruned layer has "
              + views.keySet());
    }
    views.forEach(
        (key, view) -> {
          INDArray value = values.get(key);
          if (!Arrays.equals(view.shape(), value.shape())) {
            if (view.length() != value.length()) {
              throw new IllegalStateException(
                  "layer '" + layer + "' parameter " + key + ": sliced shape "
                      + Arrays.toString(value.shape()) + " does not fit the pruned layer's "
                      + Arrays.toString(view.shape()));
            }
            value = value.reshape(view.ordering(), view.shape());
          }
          view.assign(value);
        });
  }
}
