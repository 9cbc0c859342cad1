package org.depprune.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ElementWiseMultiplicationLayer}: {@code out = act(in * W + b)} with one weight and one
 * bias per channel ({@code W [1, n]}, {@code b [1, n]}), so OUT channels are its IN channels.
 * MACs: one multiply-add per element.
 */
final class ElementWiseMultiplicationPruner implements LayerPruner<ElementWiseMultiplicationLayer> {
  @Override
  public Class<ElementWiseMultiplicationLayer> type() {
    return ElementWiseMultiplicationLayer.class;
  }

  @Override
  public int[] connect(ElementWiseMultiplicationLayer config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "ElementWiseMultiplicationLayer");
    Widths.expect(config.getNIn(), in, "ElementWiseMultiplicationLayer with nIn=" + config.getNIn());
    return in;
  }

  @Override
  public Map<String, Integer> outAxes(ElementWiseMultiplicationLayer config) {
    return Map.of("W", -1, "b", -1);
  }

  @Override
  public void resize(ElementWiseMultiplicationLayer config, List<int[]> keepIn, int[] keepOut) {
    config.setNIn(keepOut.length);
    config.setNOut(keepOut.length);
  }

  @Override
  public Map<String, INDArray> slice(
      ElementWiseMultiplicationLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    Map<String, INDArray> sliced = new LinkedHashMap<>();
    params.forEach((key, value) -> sliced.put(key, Slicing.keepLast(value, keepOut)));
    return sliced;
  }

  @Override
  public Cost cost(ElementWiseMultiplicationLayer config, List<InputType> in, InputType out) {
    return Cost.macs(out.arrayElementsPerExample());
  }
}
