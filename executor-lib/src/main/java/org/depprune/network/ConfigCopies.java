package org.depprune.network;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

/**
 * Configuration copies that share no layer with the original, so a pruned copy can be resized
 * without changing the network it came from.
 *
 * <p>DL4J 1.0.0-M2.1's {@code MultiLayerConfiguration.clone()} and
 * {@code ComputationGraphConfiguration.clone()} (and so {@code MultiLayerNetwork.clone()} and
 * {@code ComputationGraph.clone()}) do not fail, but they are not deep for wrapper layers: they
 * clone each layer with {@code Layer.clone()}, which is {@code Object.clone()} plus a copy of
 * {@code INDArray} fields. {@code Bidirectional} does not override it, so the copy shares
 * {@code fwd} and {@code bwd} with the original, and its cached {@code BidirectionalParamInitializer}
 * still points at the original; {@code BaseWrapperLayer} ({@code LastTimeStep},
 * {@code TimeDistributed}, {@code MaskZeroLayer}, {@code FrozenLayerWithBackprop}) does not
 * override it either, so the copy shares {@code underlying}. Resizing the wrapped layer of such a
 * copy would resize the original's too; and giving the copy new wrapped layers without dropping the
 * cached initializer makes {@code MultiLayerNetwork.init} fail with "Expected params view of
 * length 240, got length 84" (the initializer still sizes the original's layers). This replaces
 * the shared layers with clones, recursively, and drops the cached initializer.
 */
public final class ConfigCopies {
  private ConfigCopies() {}

  /** A clone of {@code conf} that shares no layer with it. */
  public static MultiLayerConfiguration of(MultiLayerConfiguration conf) {
    MultiLayerConfiguration copy = conf.clone();
    for (NeuralNetConfiguration layer : copy.getConfs()) {
      unshare(layer.getLayer());
    }
    return copy;
  }

  /** A clone of {@code conf} that shares no layer with it. */
  public static ComputationGraphConfiguration of(ComputationGraphConfiguration conf) {
    ComputationGraphConfiguration copy = conf.clone();
    for (GraphVertex vertex : copy.getVertices().values()) {
      if (vertex instanceof LayerVertex layer) {
        unshare(layer.getLayerConf().getLayer());
      }
    }
    return copy;
  }

  /** Gives a freshly cloned {@code layer} its own copies of the layers it wraps. */
  private static void unshare(Layer layer) {
    if (layer instanceof Bidirectional bidirectional) {
      bidirectional.setFwd(deepClone(bidirectional.getFwd()));
      bidirectional.setBwd(deepClone(bidirectional.getBwd()));
      bidirectional.setInitializer(null); // rebuilt on demand, for this copy
    } else if (layer instanceof BaseWrapperLayer wrapper) {
      wrapper.setUnderlying(deepClone(wrapper.getUnderlying()));
    } else if (layer instanceof FrozenLayer frozen) {
      unshare(frozen.getLayer()); // FrozenLayer.clone() clones its layer one level deep
    }
  }

  /** A clone of {@code layer} that shares no wrapped layer with it. */
  public static Layer deepClone(Layer layer) {
    Layer copy = layer.clone();
    unshare(copy);
    return copy;
  }
}
