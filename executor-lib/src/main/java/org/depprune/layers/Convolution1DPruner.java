package org.depprune.layers;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code Convolution1DLayer} and its subclass {@code Convolution1D} (same layer, same layout). DL4J 1.0.0-M2.1 reports its weights as {@code [nOut, nIn, k, 1]},
 * but the convolution reads the same memory as {@code [k, nIn, nOut]} (row-major): sliced by the
 * reported shape, the wrong weights survive (the functional test shows it). So the weights are
 * sliced in the layout the layer computes with, and handed back in the reported shape.
 */
final class Convolution1DPruner<T extends Convolution1DLayer> extends FeedForwardPruner<T> {
  Convolution1DPruner(Class<T> type) {
    super(type);
  }

  @Override
  public Map<String, Integer> outAxes(T config) {
    return Map.of(ConvolutionParamInitializer.BIAS_KEY, -1);
  }

  @Override
  public Map<String, INDArray> slice(
      T config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    INDArray w = params.get(ConvolutionParamInitializer.WEIGHT_KEY);
    long nOut = w.size(0);
    long nIn = w.size(1);
    long k = w.size(2);
    INDArray computed = w.dup('c').reshape('c', k, nIn, nOut);
    INDArray kept = Slicing.keep(Slicing.keep(computed, 2, keepOut), 1, keepIn.get(0));
    Map<String, INDArray> sliced = ordered();
    sliced.put(
        ConvolutionParamInitializer.WEIGHT_KEY,
        kept.dup('c').reshape('c', keepOut.length, keepIn.get(0).length, k, 1));
    INDArray b = params.get(ConvolutionParamInitializer.BIAS_KEY);
    if (b != null) {
      sliced.put(ConvolutionParamInitializer.BIAS_KEY, Slicing.keepLast(b, keepOut));
    }
    return sliced;
  }

  /** {@code L' C' C k}: output steps x filters x inputs per output. */
  @Override
  public Cost cost(T config, List<InputType> in, InputType out) {
    return Cost.macs(Costs.steps(out) * config.getNOut() * config.getNIn() * config.getKernelSize()[0]);
  }
}
