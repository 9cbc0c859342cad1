package org.depprune.prune;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code ConvolutionLayer}: weights {@code [nOut, nIn, kH, kW]}, bias {@code [1, nOut]}. */
final class ConvolutionPruner extends FeedForwardPruner<ConvolutionLayer> {
  ConvolutionPruner() {
    super(ConvolutionLayer.class);
  }

  @Override
  public Map<String, INDArray> slice(
      ConvolutionLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = ordered();
    INDArray w = params.get(ConvolutionParamInitializer.WEIGHT_KEY);
    sliced.put(
        ConvolutionParamInitializer.WEIGHT_KEY,
        Slicing.keep(Slicing.keep(w, 0, keepOut), 1, keepIn.get(0)));
    INDArray b = params.get(ConvolutionParamInitializer.BIAS_KEY);
    if (b != null) {
      sliced.put(ConvolutionParamInitializer.BIAS_KEY, Slicing.keepLast(b, keepOut));
    }
    return sliced;
  }
}
