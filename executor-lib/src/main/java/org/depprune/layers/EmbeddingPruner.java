package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code EmbeddingLayer}: its input is a class index, not channels, so only its OUT side (the
 * embedding dimensions) is pruned. Weights {@code [vocabulary, nOut]}, bias {@code [1, nOut]}.
 */
final class EmbeddingPruner implements LayerPruner<EmbeddingLayer> {
  @Override
  public Class<EmbeddingLayer> type() {
    return EmbeddingLayer.class;
  }

  @Override
  public int[] connect(EmbeddingLayer config, List<int[]> inputSlots, Slots slots) {
    Widths.single(inputSlots, "EmbeddingLayer");
    return slots.fresh(Math.toIntExact(config.getNOut()));
  }

  @Override
  public void resize(EmbeddingLayer config, List<int[]> keepIn, int[] keepOut) {
    config.setNOut(keepOut.length);
  }

  @Override
  public Map<String, Integer> outAxes(EmbeddingLayer config) {
    return Map.of("W", 1, "b", -1);
  }

  @Override
  public Map<String, INDArray> slice(
      EmbeddingLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = FeedForwardPruner.ordered();
    sliced.put("W", Slicing.keep(params.get("W"), 1, keepOut));
    if (params.containsKey("b")) {
      sliced.put("b", Slicing.keepLast(params.get("b"), keepOut));
    }
    return sliced;
  }

  /** A lookup, not a product: no MACs. */
  @Override
  public Cost cost(EmbeddingLayer config, List<InputType> in, InputType out) {
    return Cost.NONE;
  }
}
