package org.depprune.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass behind {@link Network#batchNormInputs}: batch-norm layers in training mode,
 * everything else in inference mode.
 *
 * <p>DL4J has one {@code train} flag per forward pass, and setting it would also turn on every
 * layer's dropout and weight noise. So this walks the network itself, as DL4J's own
 * {@code ffToLayerActivations} does (topological order, each layer's input preprocessor, then
 * {@code Layer.activate}), passing {@code training = true} to {@code BatchNormalization} layers
 * only. DL4J's batch-norm layer in training mode normalises with the batch's mean and variance
 * and never applies dropout (M2.1's {@code BatchNormalization.activate} does not call
 * {@code applyDropOutIfNecessary}); its running statistics change only in backprop, so a forward
 * pass leaves every parameter as it was. Arrays live outside workspaces, and the walk stops after
 * the last batch-norm layer.
 *
 * <p>A batch-norm layer inside a {@code FrozenLayer} is not a {@code BatchNormalization} here:
 * DL4J runs frozen layers in inference mode whatever the flag, so it stays in inference mode.
 */
final class BatchNormForward {
  private BatchNormForward() {}

  /** Batch-norm inputs of a sequential network; the network's stored input is not touched. */
  static Map<String, INDArray> sequential(MultiLayerNetwork net, INDArray input) {
    var conf = net.getLayerWiseConfigurations();
    Layer[] layers = net.getLayers();
    int last = -1;
    for (int i = 0; i < layers.length; i++) {
      if (layers[i] instanceof BatchNormalization) {
        last = i;
      }
    }
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    int batch = (int) input.size(0);
    INDArray x = input;
    try {
      for (int i = 0; i <= last; i++) {
        InputPreProcessor pre = conf.getInputPreProcess(i);
        if (pre != null) {
          x = pre.preProcess(x, batch, mgr);
        }
        boolean bn = layers[i] instanceof BatchNormalization;
        if (bn) {
          inputs.put(Network.layerName(conf, i), x);
        }
        x = layers[i].activate(x, bn, mgr);
      }
    } finally {
      net.clearLayersStates();
    }
    return inputs;
  }

  /**
   * Batch-norm inputs of a graph of one input. The graph's stored inputs are set to
   * {@code input} during the pass (vertices such as {@code PreprocessorVertex} read them) and put
   * back afterwards.
   */
  static Map<String, INDArray> graph(ComputationGraph graph, INDArray input) {
    List<String> networkInputs = graph.getConfiguration().getNetworkInputs();
    if (networkInputs.size() != 1) {
      throw new IllegalArgumentException(
          "batch-norm inputs need a graph of one input, found " + networkInputs.size() + " " + networkInputs);
    }
    GraphVertex[] vertices = graph.getVertices();
    int[] order = graph.topologicalSortOrder();
    int last = -1;
    for (int k = 0; k < order.length; k++) {
      if (vertices[order[k]].hasLayer() && vertices[order[k]].getLayer() instanceof BatchNormalization) {
        last = k;
      }
    }
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    int batch = (int) input.size(0);
    INDArray[] activations = new INDArray[vertices.length];
    INDArray[] storedInputs = graph.getInputs();
    graph.setInputs(input);
    try {
      for (int k = 0; k <= last; k++) {
        GraphVertex v = vertices[order[k]];
        if (v.isInputVertex()) {
          activations[v.getVertexIndex()] = input;
          continue;
        }
        VertexIndices[] from = v.getInputVertices();
        if (v instanceof LayerVertex layerVertex) {
          INDArray x = activations[from[0].getVertexIndex()];
          InputPreProcessor pre = layerVertex.getLayerPreProcessor();
          if (pre != null) {
            x = pre.preProcess(x, batch, mgr);
          }
          boolean bn = v.getLayer() instanceof BatchNormalization;
          if (bn) {
            inputs.put(v.getVertexName(), x);
          }
          activations[v.getVertexIndex()] = v.getLayer().activate(x, bn, mgr);
        } else {
          for (int j = 0; j < from.length; j++) {
            v.setInput(j, activations[from[j].getVertexIndex()], mgr);
          }
          activations[v.getVertexIndex()] = v.doForward(false, mgr);
        }
      }
    } finally {
      graph.clearLayersStates();
      graph.setInputs(storedInputs);
    }
    return inputs;
  }
}
