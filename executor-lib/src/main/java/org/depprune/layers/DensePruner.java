package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dense-style layers: weights {@code [nIn, nOut]}, bias {@code [1, nOut]}. Output layers use it
 * too: their IN side follows their producer, their OUT side (the classes) is never pruned.
 */
final class DensePruner<T extends FeedForwardLayer> extends FeedForwardPruner<T> {
  DensePruner(Class<T> type) {
    super(type);
  }

  @Override
  public boolean outPrunable(T config) {
    return !(config instanceof BaseOutputLayer);
  }

  @Override
  public Map<String, Integer> outAxes(T config) {
    return Map.of(DefaultParamInitializer.WEIGHT_KEY, 1, DefaultParamInitializer.BIAS_KEY, -1);
  }

  @Override
  public Map<String, Integer> inAxes(T config) {
    return Map.of(DefaultParamInitializer.WEIGHT_KEY, 0);
  }

  @Override
  public Map<String, INDArray> slice(
      T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = ordered();
    INDArray w = params.get(DefaultParamInitializer.WEIGHT_KEY);
    sliced.put(
        DefaultParamInitializer.WEIGHT_KEY,
        Slicing.keep(Slicing.keep(w, 1, keepOut), 0, keepIn.get(0)));
    INDArray b = params.get(DefaultParamInitializer.BIAS_KEY);
    if (b != null) {
      sliced.put(DefaultParamInitializer.BIAS_KEY, Slicing.keepLast(b, keepOut));
    }
    return sliced;
  }

  /** {@code n_in n_out}, per time step on sequences. */
  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    return Cost.macs(Costs.steps(in.get(0)) * config.getNIn() * config.getNOut());
  }
}
