package org.depprune.layers;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Convolutions whose weights hold filters along one dimension and input channels along another:
 * {@code ConvolutionLayer} and {@code Convolution2D} ({@code [nOut, nIn, kH, kW]}),
 * {@code Deconvolution2D} ({@code [nIn, nOut, kH, kW]}), {@code Convolution3D}
 * ({@code [nOut, nIn, kD, kH, kW]} in both data formats) and {@code Deconvolution3D}
 * ({@code [kD, kH, kW, nOut, nIn]}); bias {@code [1, nOut]}. MACs: output positions x filters x
 * inputs per output, {@code H'W' C' C k_h k_w} (times the depths in 3D); a transposed convolution
 * multiplies every input position by every filter instead, {@code H W C C' k_h k_w}.
 */
final class ConvolutionPruner<T extends ConvolutionLayer> extends FeedForwardPruner<T> {
  private final int outDim;
  private final int inDim;
  private final boolean transposed;

  ConvolutionPruner(Class<T> type, int outDim, int inDim, boolean transposed) {
    super(type);
    this.outDim = outDim;
    this.inDim = inDim;
    this.transposed = transposed;
  }

  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    long positions = transposed
        ? Costs.positions(in.get(0), type().getSimpleName())
        : Costs.positions(out, type().getSimpleName());
    long kernel = 1;
    for (int k : config.getKernelSize()) {
      kernel *= k;
    }
    return Cost.macs(positions * config.getNOut() * config.getNIn() * kernel);
  }

  @Override
  public Map<String, Integer> outAxes(T config) {
    return Map.of(ConvolutionParamInitializer.WEIGHT_KEY, outDim, ConvolutionParamInitializer.BIAS_KEY, -1);
  }

  @Override
  public Map<String, Integer> inAxes(T config) {
    return Map.of(ConvolutionParamInitializer.WEIGHT_KEY, inDim);
  }

  @Override
  public Map<String, INDArray> slice(
      T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = ordered();
    INDArray w = params.get(ConvolutionParamInitializer.WEIGHT_KEY);
    sliced.put(
        ConvolutionParamInitializer.WEIGHT_KEY,
        Slicing.keep(Slicing.keep(w, outDim, keepOut), inDim, keepIn.get(0)));
    INDArray b = params.get(ConvolutionParamInitializer.BIAS_KEY);
    if (b != null) {
      sliced.put(ConvolutionParamInitializer.BIAS_KEY, Slicing.keepLast(b, keepOut));
    }
    return sliced;
  }
}
