package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code SpaceToDepthLayer}: each {@code b x b} block of positions becomes {@code b*b} copies of
 * the channels, output channel {@code k*C + c} holding channel {@code c} at block offset
 * {@code k}; pruning an input channel removes all its copies.
 */
final class SpaceToDepthPruner implements LayerPruner<SpaceToDepthLayer> {
  @Override
  public Class<SpaceToDepthLayer> type() {
    return SpaceToDepthLayer.class;
  }

  @Override
  public int[] connect(SpaceToDepthLayer config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "SpaceToDepthLayer");
    int copies = config.getBlockSize() * config.getBlockSize();
    int[] out = new int[in.length * copies];
    for (int k = 0; k < copies; k++) {
      System.arraycopy(in, 0, out, k * in.length, in.length);
    }
    return out;
  }

  @Override
  public void resize(SpaceToDepthLayer config, List<int[]> keepIn, int[] keepOut) {}

  @Override
  public Map<String, INDArray> slice(
      SpaceToDepthLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    return Map.of();
  }

  /** A rearrangement: nothing to count. */
  @Override
  public Cost cost(SpaceToDepthLayer config, List<InputType> in, InputType out) {
    return Cost.NONE;
  }
}
