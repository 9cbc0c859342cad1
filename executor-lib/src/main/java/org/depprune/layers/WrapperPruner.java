package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Wrappers that keep the wrapped layer's channels and parameter keys: {@code LastTimeStep} (the
 * last step of the wrapped recurrent layer's output), {@code MaskZeroLayer} (masks steps whose
 * input is all the masking value) and {@code TimeDistributed} (a feed-forward layer applied at
 * every step). Everything is delegated to the wrapped layer's pruner. The wrappers hold a
 * reference to the registry they were created for: a copy of it still resolves wrapped layers there.
 *
 * <p>{@code MaskZeroLayer} masks a step where every input channel equals the masking value, so
 * removing an input channel changes its mask only at a step where that channel alone differed.
 */
final class WrapperPruner<T extends BaseWrapperLayer> implements LayerPruner<T> {
  private final Class<T> type;
  private final PrunerRegistry registry;

  /** @param registry where the wrapped layer's pruner is looked up */
  WrapperPruner(Class<T> type, PrunerRegistry registry) {
    this.type = type;
    this.registry = registry;
  }

  @Override
  public Class<T> type() {
    return type;
  }

  /** The same pruner, looking the wrapped layer's pruner up in {@code other}. */
  WrapperPruner<T> boundTo(PrunerRegistry other) {
    return new WrapperPruner<>(type, other);
  }

  private LayerPruner<Layer> inner(T config) {
    Layer layer = config.getUnderlying();
    return registry.layer(layer).orElseThrow(() -> new IllegalArgumentException(
        type.getSimpleName() + " wraps a " + layer.getClass().getSimpleName()
            + ", which has no LayerPruner; register one for it with PrunerRegistry.register"));
  }

  @Override
  public int[] connect(T config, List<int[]> inputSlots, Slots slots) {
    Layer layer = config.getUnderlying();
    if (registry.layer(layer).isEmpty()) {
      // Like an unsupported layer: its channels are blocked with the reason, the graph still builds.
      throw new Unmappable(type.getSimpleName() + " wraps a " + layer.getClass().getSimpleName()
          + ", which has no LayerPruner; register one for it with PrunerRegistry.register",
          layer instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff ? Math.toIntExact(ff.getNOut()) : -1);
    }
    return inner(config).connect(layer, inputSlots, slots);
  }

  /** A wrapped layer's configuration that cannot be pruned exactly cannot be here either. */
  @Override
  public java.util.Optional<String> refusal(T config) {
    return registry.layer(config.getUnderlying()).flatMap(p -> p.refusal(config.getUnderlying()));
  }

  @Override
  public boolean outPrunable(T config) {
    return inner(config).outPrunable(config.getUnderlying());
  }

  @Override
  public Map<String, Integer> outAxes(T config) {
    return inner(config).outAxes(config.getUnderlying());
  }

  @Override
  public Map<String, Integer> inAxes(T config) {
    return inner(config).inAxes(config.getUnderlying());
  }

  @Override
  public void resize(T config, List<int[]> keepIn, int[] keepOut) {
    inner(config).resize(config.getUnderlying(), keepIn, keepOut);
  }

  @Override
  public Map<String, INDArray> slice(T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    return inner(config).slice(config.getUnderlying(), params, keepIn, keepOut);
  }

  /** The wrapped layer's cost over the wrapper's input (every step, also for LastTimeStep). */
  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    return inner(config).cost(config.getUnderlying(), in, out);
  }
}
