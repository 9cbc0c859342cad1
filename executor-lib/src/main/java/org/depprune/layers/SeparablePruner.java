package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.params.SeparableConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code SeparableConvolution2D}: a depthwise part tied to its input channels (weights
 * {@code [m, nIn, kH, kW]}) and a pointwise part whose filters are the OUT channels (weights
 * {@code [nOut, nIn*m, 1, 1]}, input {@code c*m+k} being filter {@code k} of input channel
 * {@code c}); bias {@code [1, nOut]}.
 */
final class SeparablePruner extends FeedForwardPruner<SeparableConvolution2D> {
  SeparablePruner() {
    super(SeparableConvolution2D.class);
  }

  @Override
  public Map<String, Integer> inAxes(SeparableConvolution2D config) {
    return Map.of(SeparableConvolutionParamInitializer.DEPTH_WISE_WEIGHT_KEY, 1);
  }

  @Override
  public Map<String, Integer> outAxes(SeparableConvolution2D config) {
    return Map.of(
        SeparableConvolutionParamInitializer.POINT_WISE_WEIGHT_KEY, 0,
        SeparableConvolutionParamInitializer.BIAS_KEY, -1);
  }

  @Override
  public Map<String, INDArray> slice(
      SeparableConvolution2D config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    int m = config.getDepthMultiplier();
    int[] in = keepIn.get(0);
    int[] depthwiseOut = new int[in.length * m];
    for (int i = 0; i < in.length; i++) {
      for (int k = 0; k < m; k++) {
        depthwiseOut[i * m + k] = in[i] * m + k;
      }
    }
    Map<String, INDArray> sliced = ordered();
    sliced.put(
        SeparableConvolutionParamInitializer.DEPTH_WISE_WEIGHT_KEY,
        Slicing.keep(params.get(SeparableConvolutionParamInitializer.DEPTH_WISE_WEIGHT_KEY), 1, in));
    INDArray pw = params.get(SeparableConvolutionParamInitializer.POINT_WISE_WEIGHT_KEY);
    sliced.put(
        SeparableConvolutionParamInitializer.POINT_WISE_WEIGHT_KEY,
        Slicing.keep(Slicing.keep(pw, 0, keepOut), 1, depthwiseOut));
    INDArray b = params.get(SeparableConvolutionParamInitializer.BIAS_KEY);
    if (b != null) {
      sliced.put(SeparableConvolutionParamInitializer.BIAS_KEY, Slicing.keepLast(b, keepOut));
    }
    return sliced;
  }

  /** Depthwise {@code H'W' C m k_h k_w} plus pointwise {@code H'W' C' C m}. */
  @Override
  public Cost cost(SeparableConvolution2D config, List<InputType> in, InputType out) {
    long positions = Costs.positions(out, "SeparableConvolution2D");
    long depthwise = (long) config.getNIn() * config.getDepthMultiplier();
    long kernel = (long) config.getKernelSize()[0] * config.getKernelSize()[1];
    return Cost.macs(positions * depthwise * kernel + positions * config.getNOut() * depthwise);
  }
}
