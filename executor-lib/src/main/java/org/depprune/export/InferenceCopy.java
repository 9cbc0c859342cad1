package org.depprune.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.depprune.network.ConfigCopies;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An inference-only copy of a network, as deployed: every batch norm that directly follows a
 * linear convolution or dense layer (and is its only consumer) is folded into it
 * ({@link BatchNormFold}), an activation layer that then directly follows such a layer (and is
 * its only consumer) becomes that layer's activation, dropout layers are removed and every
 * layer's dropout is cleared. In
 * inference mode the copy computes the same outputs (to float rounding); it cannot be trained
 * like the original (the folded batch norms are gone). The original is not modified.
 */
public final class InferenceCopy {
  private InferenceCopy() {}

  /**
   * The copy, with what was done.
   *
   * @param folded the batch norms folded, as {@code "bn into producer"}
   * @param removed the dropout layers removed
   * @param fused the activation layers fused into the layer before them, as {@code "act into layer"}
   */
  public record Result(Model network, List<String> folded, List<String> removed, List<String> fused) {
    public Result {
      folded = List.copyOf(folded);
      removed = List.copyOf(removed);
      fused = List.copyOf(fused);
    }
  }

  /** The inference copy of {@code net} (a {@code ComputationGraph} or {@code MultiLayerNetwork}). */
  public static Result of(Model net) {
    if (net instanceof ComputationGraph graph) {
      return ofGraph(graph);
    }
    if (net instanceof MultiLayerNetwork sequential) {
      return ofSequential(sequential);
    }
    throw new IllegalArgumentException(
        "an inference copy needs a ComputationGraph or MultiLayerNetwork, found " + net.getClass().getName());
  }

  private static Result ofGraph(ComputationGraph net) {
    ComputationGraphConfiguration conf = ConfigCopies.of(net.getConfiguration());
    Map<String, GraphVertex> vertices = conf.getVertices();
    Map<String, List<String>> inputs = conf.getVertexInputs();
    Map<String, Integer> consumers = new HashMap<>();
    inputs.values().forEach(list -> list.forEach(in -> consumers.merge(in, 1, Integer::sum)));
    Map<String, String> foldedInto = new LinkedHashMap<>(); // batch norm -> producer
    List<String> removed = new ArrayList<>();
    for (String name : net.getConfiguration().getTopologicalOrderStr()) {
      Layer layer = layer(vertices.get(name));
      if (layer == null) {
        continue;
      }
      layer.setIDropout(null);
      List<String> in = inputs.get(name);
      if (layer instanceof DropoutLayer && in.size() == 1 && preProcessor(vertices.get(name)) == null) {
        removed.add(name);
      } else if (layer instanceof BatchNormalization && in.size() == 1 && preProcessor(vertices.get(name)) == null) {
        String producer = in.get(0);
        Layer p = layer(vertices.get(producer));
        if (p != null && consumers.getOrDefault(producer, 0) == 1 && !conf.getNetworkOutputs().contains(producer)
            && BatchNormFold.foldable(p, layer)) {
          foldedInto.put(name, producer);
        }
      }
    }
    List<String> bypassed = new ArrayList<>(foldedInto.keySet());
    bypassed.addAll(removed);
    bypassed.forEach(name -> bypass(conf, name));
    for (var entry : foldedInto.entrySet()) {
      BatchNormFold.foldConfig((FeedForwardLayer) layer(vertices.get(entry.getValue())),
          (BatchNormalization) layer(net.getConfiguration().getVertices().get(entry.getKey())));
    }
    // With the batch norms gone, an activation layer may directly follow a linear layer.
    List<String> fused = new ArrayList<>();
    for (String name : net.getConfiguration().getTopologicalOrderStr()) {
      if (vertices.containsKey(name) && layer(vertices.get(name)) instanceof ActivationLayer act
          && inputs.get(name).size() == 1 && preProcessor(vertices.get(name)) == null) {
        String producer = inputs.get(name).get(0);
        long readers = inputs.values().stream().filter(list -> list.contains(producer)).count();
        if (readers == 1 && !conf.getNetworkOutputs().contains(producer) && fusable(layer(vertices.get(producer)))) {
          ((BaseLayer) layer(vertices.get(producer))).setActivationFn(act.getActivationFn());
          bypass(conf, name);
          fused.add(name + " into " + producer);
        }
      }
    }
    conf.setTopologicalOrder(null);
    conf.setTopologicalOrderStr(null);
    ComputationGraph copy = new ComputationGraph(conf);
    copy.init();
    Map<String, String> producerOf = new HashMap<>();
    foldedInto.forEach((bn, producer) -> producerOf.put(producer, bn));
    for (org.deeplearning4j.nn.api.Layer target : copy.getLayers()) {
      String name = target.conf().getLayer().getLayerName();
      Map<String, INDArray> params = net.getLayer(name).paramTable();
      if (producerOf.containsKey(name)) {
        String bn = producerOf.get(name);
        params = BatchNormFold.foldParams(net.getLayer(name).conf().getLayer(), params,
            (BatchNormalization) net.getLayer(bn).conf().getLayer(), net.getLayer(bn).paramTable());
      }
      write(name, params, target.paramTable());
    }
    List<String> folded = new ArrayList<>();
    foldedInto.forEach((bn, producer) -> folded.add(bn + " into " + producer));
    return new Result(copy, folded, removed, fused);
  }

  /**
   * Whether layer {@code i} directly follows the last kept layer once the folded batch norms and
   * removed dropout layers between them are gone.
   */
  private static boolean adjacent(List<Integer> source, Map<Integer, Integer> foldedInto,
      java.util.Set<Integer> removedIndices, int i) {
    for (int between = source.get(source.size() - 1) + 1; between < i; between++) {
      if (!foldedInto.containsKey(between) && !removedIndices.contains(between)) {
        return false;
      }
    }
    return true;
  }

  /** Removes the single-input vertex {@code name}, wiring its consumers to its input. */
  private static void bypass(ComputationGraphConfiguration conf, String name) {
    String source = conf.getVertexInputs().get(name).get(0);
    conf.getVertices().remove(name);
    conf.getVertexInputs().remove(name);
    conf.getVertexInputs().replaceAll((k, list) -> list.stream().map(i -> i.equals(name) ? source : i).toList());
    conf.getNetworkOutputs().replaceAll(o -> o.equals(name) ? source : o);
  }

  /**
   * Whether an activation can move into {@code producer}: a convolution or dense layer whose own
   * activation is the identity (it applies its activation to exactly what it computed).
   */
  private static boolean fusable(Layer producer) {
    return producer != null && (producer.getClass() == ConvolutionLayer.class || producer.getClass() == DenseLayer.class)
        && ((BaseLayer) producer).getActivationFn() instanceof ActivationIdentity;
  }

  private static Result ofSequential(MultiLayerNetwork net) {
    MultiLayerConfiguration conf = ConfigCopies.of(net.getLayerWiseConfigurations());
    List<NeuralNetConfiguration> confs = conf.getConfs();
    List<Layer> kept = new ArrayList<>();
    List<Integer> source = new ArrayList<>(); // for each kept layer, its index in the original
    Map<Integer, InputPreProcessor> preProcessors = new HashMap<>();
    Map<Integer, Integer> foldedInto = new LinkedHashMap<>(); // batch norm index -> producer index
    List<String> removed = new ArrayList<>();
    java.util.Set<Integer> removedIndices = new java.util.HashSet<>();
    List<String> fused = new ArrayList<>();
    for (int i = 0; i < confs.size(); i++) {
      Layer layer = confs.get(i).getLayer();
      layer.setIDropout(null);
      InputPreProcessor pre = conf.getInputPreProcess(i);
      boolean last = i == confs.size() - 1;
      if (layer instanceof DropoutLayer && pre == null && !last) {
        removed.add(name(layer, i));
        removedIndices.add(i);
        continue;
      }
      if (layer instanceof BatchNormalization && pre == null && i > 0 && !kept.isEmpty()
          && source.get(source.size() - 1) == i - 1 && BatchNormFold.foldable(kept.get(kept.size() - 1), layer)) {
        foldedInto.put(i, i - 1);
        BatchNormFold.foldConfig((FeedForwardLayer) kept.get(kept.size() - 1), (BatchNormalization) layer);
        continue;
      }
      if (layer instanceof ActivationLayer act && pre == null && !kept.isEmpty() && !last
          && fusable(kept.get(kept.size() - 1)) && adjacent(source, foldedInto, removedIndices, i)) {
        ((BaseLayer) kept.get(kept.size() - 1)).setActivationFn(act.getActivationFn());
        fused.add(name(layer, i) + " into " + name(kept.get(kept.size() - 1), source.get(source.size() - 1)));
        continue;
      }
      if (pre != null) {
        preProcessors.put(kept.size(), pre);
      }
      kept.add(layer);
      source.add(i);
    }
    NeuralNetConfiguration.ListBuilder builder = new NeuralNetConfiguration.Builder()
        .dataType(conf.getDataType()).list();
    for (Layer layer : kept) {
      builder.layer(layer);
    }
    preProcessors.forEach(builder::inputPreProcessor);
    MultiLayerNetwork copy = new MultiLayerNetwork(builder.build());
    copy.init();
    Map<Integer, Integer> bnOf = new HashMap<>();
    foldedInto.forEach((bn, producer) -> bnOf.put(producer, bn));
    for (int k = 0; k < kept.size(); k++) {
      int i = source.get(k);
      Map<String, INDArray> params = net.getLayer(i).paramTable();
      if (bnOf.containsKey(i)) {
        int bn = bnOf.get(i);
        params = BatchNormFold.foldParams(net.getLayer(i).conf().getLayer(), params,
            (BatchNormalization) net.getLayer(bn).conf().getLayer(), net.getLayer(bn).paramTable());
      }
      write(name(kept.get(k), i), params, copy.getLayer(k).paramTable());
    }
    List<String> folded = new ArrayList<>();
    foldedInto.forEach((bn, producer) -> folded.add(name(confs.get(bn).getLayer(), bn) + " into "
        + name(confs.get(producer).getLayer(), producer)));
    return new Result(copy, folded, removed, fused);
  }

  private static Layer layer(GraphVertex vertex) {
    return vertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
  }

  private static InputPreProcessor preProcessor(GraphVertex vertex) {
    return vertex instanceof LayerVertex lv ? lv.getPreProcessor() : null;
  }

  private static String name(Layer layer, int index) {
    return layer.getLayerName() != null ? layer.getLayerName() : "layer" + index;
  }

  private static void write(String layer, Map<String, INDArray> values, Map<String, INDArray> views) {
    if (!values.keySet().equals(views.keySet())) {
      throw new IllegalStateException(
          "layer '" + layer + "': parameters " + values.keySet() + " but the copy has " + views.keySet());
    }
    views.forEach((key, view) -> view.assign(values.get(key).reshape(view.shape())));
  }
}
