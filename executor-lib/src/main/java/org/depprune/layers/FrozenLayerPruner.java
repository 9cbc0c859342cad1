package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code FrozenLayer}, pruned like the layer it wraps. Not in the default registry: frozen layers
 * are left alone unless {@link PrunerRegistry#withFrozenLayers()} asks for them.
 */
final class FrozenLayerPruner implements LayerPruner<FrozenLayer> {
  private final PrunerRegistry inner;

  FrozenLayerPruner(PrunerRegistry inner) {
    this.inner = inner;
  }

  @Override
  public Class<FrozenLayer> type() {
    return FrozenLayer.class;
  }

  private LayerPruner<Layer> wrapped(FrozenLayer config) {
    Layer layer = config.getLayer();
    return inner.layer(layer).orElseThrow(() -> new IllegalArgumentException(
        "frozen layer wraps a " + layer.getClass().getSimpleName() + ", which has no LayerPruner"));
  }

  @Override
  public int[] connect(FrozenLayer config, List<int[]> inputSlots, Slots slots) {
    return wrapped(config).connect(config.getLayer(), inputSlots, slots);
  }

  @Override
  public boolean outPrunable(FrozenLayer config) {
    return wrapped(config).outPrunable(config.getLayer());
  }

  @Override
  public Map<String, Integer> outAxes(FrozenLayer config) {
    return wrapped(config).outAxes(config.getLayer());
  }

  @Override
  public void resize(FrozenLayer config, List<int[]> keepIn, int[] keepOut) {
    wrapped(config).resize(config.getLayer(), keepIn, keepOut);
  }

  @Override
  public Map<String, INDArray> slice(
      FrozenLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    return wrapped(config).slice(config.getLayer(), params, keepIn, keepOut);
  }

  @Override
  public Cost cost(FrozenLayer config, List<InputType> in, InputType out) {
    return wrapped(config).cost(config.getLayer(), in, out);
  }
}
