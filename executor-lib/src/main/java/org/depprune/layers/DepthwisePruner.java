package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code DepthwiseConvolution2D}: input channel {@code c} has its own {@code m} filters, whose
 * outputs are channels {@code c*m ... c*m+m-1}; so an output channel is its input channel, and
 * the channel multiplier is kept. Weights {@code [kH, kW, nIn, m]}, bias {@code [1, nIn*m]}.
 */
final class DepthwisePruner implements LayerPruner<DepthwiseConvolution2D> {
  @Override
  public Class<DepthwiseConvolution2D> type() {
    return DepthwiseConvolution2D.class;
  }

  @Override
  public int[] connect(DepthwiseConvolution2D config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "DepthwiseConvolution2D");
    Widths.expect(config.getNIn(), in, "DepthwiseConvolution2D with nIn=" + config.getNIn());
    int m = config.getDepthMultiplier();
    int[] out = new int[in.length * m];
    for (int c = 0; c < in.length; c++) {
      for (int k = 0; k < m; k++) {
        out[c * m + k] = in[c];
      }
    }
    return out;
  }

  @Override
  public Map<String, Integer> inAxes(DepthwiseConvolution2D config) {
    return Map.of(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, 2);
  }

  @Override
  public void resize(DepthwiseConvolution2D config, List<int[]> keepIn, int[] keepOut) {
    config.setNIn(keepIn.get(0).length);
    config.setNOut((long) keepIn.get(0).length * config.getDepthMultiplier());
  }

  @Override
  public Map<String, INDArray> slice(
      DepthwiseConvolution2D config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = FeedForwardPruner.ordered();
    sliced.put(
        DepthwiseConvolutionParamInitializer.WEIGHT_KEY,
        Slicing.keep(params.get(DepthwiseConvolutionParamInitializer.WEIGHT_KEY), 2, keepIn.get(0)));
    INDArray b = params.get(DepthwiseConvolutionParamInitializer.BIAS_KEY);
    if (b != null) {
      sliced.put(DepthwiseConvolutionParamInitializer.BIAS_KEY, Slicing.keepLast(b, keepOut));
    }
    return sliced;
  }

  /** {@code H'W' C m k_h k_w}: every input channel has its own m filters. */
  @Override
  public Cost cost(DepthwiseConvolution2D config, List<InputType> in, InputType out) {
    return Cost.macs(Costs.positions(out, "DepthwiseConvolution2D") * config.getNIn() * config.getDepthMultiplier()
        * config.getKernelSize()[0] * config.getKernelSize()[1]);
  }
}
