package org.depprune.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.depprune.prune.NetworkRebuilder;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network's nodes in topological order, read from its configuration: the same view of a
 * {@code ComputationGraph} and of a {@code MultiLayerNetwork} (a chain fed by one input).
 */
record NetworkTopology(List<Entry> entries, List<String> outputs) {

  /** One node before its channels are known. */
  record Entry(String name, Node.Kind kind, Object config, List<String> inputs, InputPreProcessor preProcessor) {}

  static NetworkTopology of(Model net) {
    if (net instanceof ComputationGraph graph) {
      return of(graph);
    }
    if (net instanceof MultiLayerNetwork sequential) {
      return of(sequential);
    }
    throw new IllegalArgumentException(
        "DepGraph reads ComputationGraph and MultiLayerNetwork models, found "
            + (net == null ? "null" : net.getClass().getName()));
  }

  private static NetworkTopology of(ComputationGraph net) {
    ComputationGraphConfiguration conf = net.getConfiguration();
    Set<String> inputs = Set.copyOf(conf.getNetworkInputs());
    List<Entry> entries = new ArrayList<>();
    for (int index : net.topologicalSortOrder()) {
      String name = net.getVertices()[index].getVertexName();
      if (inputs.contains(name)) {
        entries.add(new Entry(name, Node.Kind.INPUT, null, List.of(), null));
        continue;
      }
      GraphVertex vertex = conf.getVertices().get(name);
      List<String> from = conf.getVertexInputs().get(name);
      if (vertex instanceof LayerVertex layer) {
        entries.add(
            new Entry(name, Node.Kind.LAYER, layer.getLayerConf().getLayer(), from, layer.getPreProcessor()));
      } else {
        entries.add(new Entry(name, Node.Kind.VERTEX, vertex, from, null));
      }
    }
    return new NetworkTopology(List.copyOf(entries), List.copyOf(conf.getNetworkOutputs()));
  }

  private static NetworkTopology of(MultiLayerNetwork net) {
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    int n = conf.getConfs().size();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(NetworkRebuilder.layerName(conf, i));
    }
    String input = names.contains("input") ? "network-input" : "input";
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(input, Node.Kind.INPUT, null, List.of(), null));
    for (int i = 0; i < n; i++) {
      entries.add(
          new Entry(
              names.get(i),
              Node.Kind.LAYER,
              conf.getConf(i).getLayer(),
              List.of(i == 0 ? input : names.get(i - 1)),
              conf.getInputPreProcess(i)));
    }
    return new NetworkTopology(List.copyOf(entries), List.of(names.get(n - 1)));
  }
}
