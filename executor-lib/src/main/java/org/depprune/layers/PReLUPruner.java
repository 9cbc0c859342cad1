package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.params.PReLUParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code PReLULayer}: OUT channels are its IN channels; its learned slopes {@code alpha} have the
 * input's shape without the batch ({@code [C]}, or {@code [C, H, W]} with shared axes of size 1),
 * channels first, unless the channel axis is shared too.
 */
final class PReLUPruner implements LayerPruner<PReLULayer> {
  @Override
  public Class<PReLULayer> type() {
    return PReLULayer.class;
  }

  @Override
  public int[] connect(PReLULayer config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "PReLULayer");
    Widths.expect(config.getInputShape()[0], in, "PReLULayer with input shape " + java.util.Arrays.toString(config.getInputShape()));
    return in;
  }

  @Override
  public void resize(PReLULayer config, List<int[]> keepIn, int[] keepOut) {
    long[] shape = config.getInputShape().clone();
    shape[0] = keepOut.length;
    config.setInputShape(shape);
    config.setNIn(keepOut.length);
    config.setNOut(keepOut.length);
  }

  @Override
  public Map<String, INDArray> slice(
      PReLULayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    INDArray alpha = params.get(PReLUParamInitializer.WEIGHT_KEY);
    int channelAxis = alpha.rank() == config.getInputShape().length ? 0 : alpha.rank() - config.getInputShape().length;
    INDArray kept = alpha.size(channelAxis) == 1 ? alpha.dup() : Slicing.keep(alpha, channelAxis, keepOut);
    return Map.of(PReLUParamInitializer.WEIGHT_KEY, kept);
  }

  /** Element-wise, like an activation: not counted. */
  @Override
  public Cost cost(PReLULayer config, List<InputType> in, InputType out) {
    return Cost.NONE;
  }
}
