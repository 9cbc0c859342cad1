package org.depprune.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Counts the MACs of one example's forward pass from a network's configuration and input type.
 * Weighted layers count {@code output positions x output channels x inputs per output}:
 * convolution {@code H'W' C' C k_h k_w}, transposed convolution {@code H W C C' k_h k_w},
 * depthwise {@code H'W' C m k_h k_w}, separable depthwise plus pointwise, 1D convolution
 * {@code L' C' C k}, dense {@code n_in n_out} (per time step on sequences), LSTM
 * {@code T 4 n (n_in + n)}, SimpleRnn {@code T n (n_in + n)}; embeddings are lookups (0). Batch
 * norm (one per element), pooling (one per window element) and element-wise vertices (one per
 * element per extra input) are reported apart as other operations.
 */
public final class MacCounter {
  private MacCounter() {}

  /** The cost of {@code net} on one example of {@code inputTypes} (one per network input). */
  public static MacReport count(Model net, InputType... inputTypes) {
    Map<String, Long> perLayer = new LinkedHashMap<>();
    long[] other = new long[1];
    if (net instanceof ComputationGraph graph) {
      ComputationGraphConfiguration conf = graph.getConfiguration();
      Map<String, InputType> out = conf.getLayerActivationTypes(inputTypes);
      Map<String, InputType> types = new HashMap<>(out);
      for (int i = 0; i < inputTypes.length; i++) {
        types.put(conf.getNetworkInputs().get(i), inputTypes[i]);
      }
      for (String name : conf.getTopologicalOrderStr()) {
        GraphVertex vertex = conf.getVertices().get(name);
        if (vertex == null) {
          continue;
        }
        List<String> inputs = conf.getVertexInputs().get(name);
        InputType in = types.get(inputs.get(0));
        if (vertex instanceof LayerVertex lv) {
          if (lv.getPreProcessor() != null) {
            in = lv.getPreProcessor().getOutputType(in);
          }
          add(name, lv.getLayerConf().getLayer(), in, out.get(name), perLayer, other);
        } else if (vertex instanceof ElementWiseVertex) {
          other[0] += out.get(name).arrayElementsPerExample() * (inputs.size() - 1);
        }
      }
    } else if (net instanceof MultiLayerNetwork sequential) {
      if (inputTypes.length != 1) {
        throw new IllegalArgumentException("a MultiLayerNetwork has one input, found " + inputTypes.length + " input types");
      }
      MultiLayerConfiguration conf = sequential.getLayerWiseConfigurations();
      List<InputType> out = conf.getLayerActivationTypes(inputTypes[0]);
      InputType in = inputTypes[0];
      for (int i = 0; i < out.size(); i++) {
        if (conf.getInputPreProcess(i) != null) {
          in = conf.getInputPreProcess(i).getOutputType(in);
        }
        add(org.depprune.prune.NetworkRebuilder.layerName(conf, i), conf.getConf(i).getLayer(), in, out.get(i), perLayer, other);
        in = out.get(i);
      }
    } else {
      throw new IllegalArgumentException("MACs are counted for ComputationGraph and MultiLayerNetwork, found " + net);
    }
    long macs = perLayer.values().stream().mapToLong(Long::longValue).sum();
    return new MacReport(macs, other[0], net.numParams(), perLayer);
  }

  private static void add(String name, Layer layer, InputType in, InputType out, Map<String, Long> perLayer, long[] other) {
    long macs = weighted(layer, in, out);
    if (macs >= 0) {
      perLayer.put(name, macs);
      return;
    }
    if (layer instanceof BatchNormalization) {
      other[0] += out.arrayElementsPerExample();
    } else if (layer instanceof SubsamplingLayer pool && out instanceof InputType.InputTypeConvolutional) {
      other[0] += out.arrayElementsPerExample() * pool.getKernelSize()[0] * pool.getKernelSize()[1];
    } else if (layer instanceof GlobalPoolingLayer) {
      other[0] += in.arrayElementsPerExample();
    }
  }

  /** The layer's MACs, or -1 when it is not a weighted layer. */
  private static long weighted(Layer layer, InputType in, InputType out) {
    if (layer instanceof SeparableConvolution2D sep && out instanceof InputType.InputTypeConvolutional o) {
      long positions = o.getHeight() * o.getWidth();
      long k = (long) sep.getKernelSize()[0] * sep.getKernelSize()[1];
      long depthwise = positions * sep.getNIn() * sep.getDepthMultiplier() * k;
      return depthwise + positions * sep.getNOut() * sep.getNIn() * sep.getDepthMultiplier();
    }
    if (layer instanceof DepthwiseConvolution2D dw && out instanceof InputType.InputTypeConvolutional o) {
      return o.getHeight() * o.getWidth() * dw.getNIn() * dw.getDepthMultiplier()
          * dw.getKernelSize()[0] * dw.getKernelSize()[1];
    }
    if (layer instanceof Deconvolution2D de && in instanceof InputType.InputTypeConvolutional i) {
      return i.getHeight() * i.getWidth() * de.getNIn() * de.getNOut() * de.getKernelSize()[0] * de.getKernelSize()[1];
    }
    if (layer instanceof Convolution1DLayer c1 && out instanceof InputType.InputTypeRecurrent o) {
      return Math.max(1, o.getTimeSeriesLength()) * c1.getNOut() * c1.getNIn() * c1.getKernelSize()[0];
    }
    if (layer instanceof ConvolutionLayer conv && out instanceof InputType.InputTypeConvolutional o) {
      return o.getHeight() * o.getWidth() * conv.getNOut() * conv.getNIn() * conv.getKernelSize()[0] * conv.getKernelSize()[1];
    }
    if (layer instanceof EmbeddingLayer) {
      return 0;
    }
    long steps = in instanceof InputType.InputTypeRecurrent r ? Math.max(1, r.getTimeSeriesLength()) : 1;
    if (layer instanceof LSTM lstm) {
      return steps * 4 * lstm.getNOut() * (lstm.getNIn() + lstm.getNOut());
    }
    if (layer instanceof BaseRecurrentLayer rnn) {
      return steps * rnn.getNOut() * (rnn.getNIn() + rnn.getNOut());
    }
    if (layer instanceof FeedForwardLayer ff && !(layer instanceof BatchNormalization)
        && layer.initializer().numParams(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().layer(layer).build()) > 0) {
      return steps * ff.getNIn() * ff.getNOut();
    }
    return -1;
  }
}
