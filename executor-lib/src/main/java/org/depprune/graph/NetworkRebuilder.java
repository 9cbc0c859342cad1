package org.depprune.graph;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.depprune.layers.LayerPruner;
import org.depprune.layers.PrunerRegistry;
import org.depprune.network.Network;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Applies a graph's decision: builds the pruned copy of a network from what every node keeps.
 * The configuration is cloned and every changed layer, vertex and preprocessor gets its new
 * channel counts from its pruner; then one parameter vector is allocated, the new network is
 * initialised on it without weight initialisation, and every layer's parameters, sliced from the
 * original's, are written into their views of that vector. The original network is not modified.
 */
final class NetworkRebuilder {
  private NetworkRebuilder() {}

  /**
   * The pruned copy of {@code net}.
   *
   * @param keeps the surviving positions of every node that loses channels, by node name
   */
  static Network rebuild(Network net, PrunerRegistry registry, Map<String, Keep> keeps) {
    Network.Blueprint blueprint = net.blueprint();
    Map<String, Map<String, INDArray>> params = new LinkedHashMap<>();
    for (Network.Vertex vertex : net.vertices()) {
      String name = vertex.name();
      Keep keep = keeps.get(name);
      if (vertex.kind() == Network.Kind.INPUT) {
        continue;
      }
      // Layers, and vertices with parameters of their own (an attention vertex's projections).
      Map<String, INDArray> old = net.params(name);
      if (keep == null) {
        if (!old.isEmpty()) {
          params.put(name, old);
        }
        continue;
      }
      resize(registry, name, blueprint.config(name), keep);
      if (vertex.kind() == Network.Kind.LAYER) {
        resizePreprocessor(registry, blueprint.preProcessor(name), keep);
      }
      if (vertex.kind() == Network.Kind.LAYER || !old.isEmpty()) {
        params.put(name, pruner(registry, name, vertex.config()).slice(vertex.config(), old, keep.in(), keep.out(), keep.inner()));
      }
    }
    INDArray flat = Nd4j.create(dataType(net.params()), 1, blueprint.numParams());
    Network pruned = blueprint.build(flat);
    params.forEach((name, values) -> write(name, values, pruned.params(name)));
    return pruned;
  }

  private static <T> void resize(PrunerRegistry registry, String name, T config, Keep keep) {
    pruner(registry, name, config).resize(config, keep.in(), keep.out(), keep.inner());
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
