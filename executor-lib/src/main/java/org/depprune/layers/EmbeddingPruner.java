package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code EmbeddingLayer} and {@code EmbeddingSequenceLayer} (one lookup per time step): the input
 * is a class index, not channels, so only the OUT side (the embedding dimensions) is pruned.
 * Weights {@code [vocabulary, nOut]}, bias (optional) {@code [1, nOut]}.
 */
final class EmbeddingPruner<T extends FeedForwardLayer> implements LayerPruner<T> {
  private final Class<T> type;

  EmbeddingPruner(Class<T> type) {
    this.type = type;
  }

  @Override
  public Class<T> type() {
    return type;
  }

  @Override
  public int[] connect(T config, List<int[]> inputSlots, Slots slots) {
    Widths.single(inputSlots, type.getSimpleName());
    return slots.fresh(Math.toIntExact(config.getNOut()));
  }

  @Override
  public void resize(T config, List<int[]> keepIn, int[] keepOut) {
    config.setNOut(keepOut.length);
  }

  @Override
  public Map<String, Integer> outAxes(T config) {
    return Map.of("W", 1, "b", -1);
  }

  @Override
  public Map<String, INDArray> slice(
      T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = FeedForwardPruner.ordered();
    sliced.put("W", Slicing.keep(params.get("W"), 1, keepOut));
    if (params.containsKey("b")) {
      sliced.put("b", Slicing.keepLast(params.get("b"), keepOut));
    }
    return sliced;
  }

  /** A lookup, not a product: no MACs. */
  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    return Cost.NONE;
  }
}
