package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter-free layers and vertices whose OUT channels are their IN channels: activation,
 * dropout, pooling (3D, 2D, 1D, global), zero padding, cropping and upsampling (3D, 2D, 1D),
 * space-to-batch (it moves positions into the batch, not channels), local response
 * normalisation, the loss layers, and the scale, shift and L2-normalise vertices. They cost no MACs; pooling's
 * window reads are counted as other operations by the rule it is registered with.
 */
final class PassThroughPruner<T> implements LayerPruner<T> {
  private final Class<T> type;
  private final LayerCost<T> cost;

  PassThroughPruner(Class<T> type) {
    this(type, (config, in, out) -> Cost.NONE);
  }

  PassThroughPruner(Class<T> type, LayerCost<T> cost) {
    this.type = type;
    this.cost = cost;
  }

  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    return cost.cost(config, in, out);
  }

  @Override
  public Class<T> type() {
    return type;
  }

  @Override
  public int[] connect(T config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, type.getSimpleName());
    if (config instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff && ff.getNIn() > 0) {
      Widths.expect(ff.getNIn(), in, type.getSimpleName() + " with nIn=" + ff.getNIn());
    }
    return in;
  }

  @Override
  public void resize(T config, List<int[]> keepIn, int[] keepOut) {
    if (config instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff) {
      ff.setNIn(keepOut.length);
      ff.setNOut(keepOut.length);
    }
  }

  @Override
  public Map<String, INDArray> slice(
      T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    if (!params.isEmpty()) {
      throw new IllegalStateException(
          type.getSimpleName() + " has parameters " + params.keySet()
              + "; it needs its own LayerPruner");
    }
    return Map.of();
  }
}
