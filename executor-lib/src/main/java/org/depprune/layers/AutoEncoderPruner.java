package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.params.PretrainParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code AutoEncoder}: in a network's forward pass it is a dense layer (encoder weights
 * {@code W [nIn, nOut]}, bias {@code b [1, nOut]}); the decoder, used only in pretraining, reuses
 * {@code W} transposed with its visible bias {@code vb [1, nIn]}, which is sliced by the IN
 * channels. MACs: {@code n_in n_out}.
 */
final class AutoEncoderPruner extends FeedForwardPruner<AutoEncoder> {
  AutoEncoderPruner() {
    super(AutoEncoder.class);
  }

  @Override
  public Map<String, Integer> outAxes(AutoEncoder config) {
    return Map.of(PretrainParamInitializer.WEIGHT_KEY, 1, PretrainParamInitializer.BIAS_KEY, -1);
  }

  @Override
  public Map<String, Integer> inAxes(AutoEncoder config) {
    return Map.of(PretrainParamInitializer.WEIGHT_KEY, 0);
  }

  @Override
  public Map<String, INDArray> slice(
      AutoEncoder config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = ordered();
    INDArray w = params.get(PretrainParamInitializer.WEIGHT_KEY);
    sliced.put(PretrainParamInitializer.WEIGHT_KEY, Slicing.keep(Slicing.keep(w, 1, keepOut), 0, keepIn.get(0)));
    sliced.put(PretrainParamInitializer.BIAS_KEY, Slicing.keepLast(params.get(PretrainParamInitializer.BIAS_KEY), keepOut));
    sliced.put(PretrainParamInitializer.VISIBLE_BIAS_KEY,
        Slicing.keepLast(params.get(PretrainParamInitializer.VISIBLE_BIAS_KEY), keepIn.get(0)));
    return sliced;
  }

  @Override
  public Cost cost(AutoEncoder config, List<InputType> in, InputType out) {
    return Cost.macs(config.getNIn() * config.getNOut());
  }
}
