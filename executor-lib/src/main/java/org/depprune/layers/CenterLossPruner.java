package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.params.CenterLossParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code CenterLossOutputLayer}: a dense output layer plus one center per class in the input
 * space ({@code cL [classes, nIn]}), which loses the removed input positions too.
 */
final class CenterLossPruner extends FeedForwardPruner<CenterLossOutputLayer> {
  private final DensePruner<CenterLossOutputLayer> dense = new DensePruner<>(CenterLossOutputLayer.class);

  CenterLossPruner() {
    super(CenterLossOutputLayer.class);
  }

  @Override
  public boolean outPrunable(CenterLossOutputLayer config) {
    return false;
  }

  @Override
  public Map<String, Integer> inAxes(CenterLossOutputLayer config) {
    return Map.of(CenterLossParamInitializer.WEIGHT_KEY, 0, CenterLossParamInitializer.CENTER_KEY, 1);
  }

  @Override
  public Map<String, INDArray> slice(
      CenterLossOutputLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = dense.slice(config, params, keepIn, keepOut);
    sliced.put(
        CenterLossParamInitializer.CENTER_KEY,
        Slicing.keep(params.get(CenterLossParamInitializer.CENTER_KEY), 1, keepIn.get(0)));
    return sliced;
  }

  /** The dense part: {@code n_in n_out}; the centers only enter the loss. */
  @Override
  public Cost cost(CenterLossOutputLayer config, List<InputType> in, InputType out) {
    return dense.cost(config, in, out);
  }
}
