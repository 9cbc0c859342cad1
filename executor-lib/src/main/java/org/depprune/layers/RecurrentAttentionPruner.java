package org.depprune.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code RecurrentAttentionLayer} with {@code projectInput}: at step {@code t},
 * {@code h_t = act(x_t W + b + MHA(h_{t-1}, x, x) RW)}, with {@code W [nIn, nOut]},
 * {@code RW [nOut, nOut]}, {@code b [nOut]}, query projection {@code Wq [nHeads, headSize, nOut]}
 * (it reads the previous state), {@code Wk, Wv [nHeads, headSize, nIn]} and
 * {@code Wo [nHeads * headSize, nOut]}. Its OUT channels are the hidden units: unit {@code u}
 * owns W's and RW's column, b's entry, Wq's last-axis slice and, since DL4J gives the attention
 * output nOut features too, Wo's column and RW's row {@code u}. Its heads are INNER channels.
 * Without {@code projectInput} the previous state is dotted with the input directly, so no
 * channel can be removed exactly: that configuration is refused.
 */
final class RecurrentAttentionPruner implements LayerPruner<RecurrentAttentionLayer> {
  private final AttentionHeads heads;

  RecurrentAttentionPruner(AttentionMode mode) {
    this.heads = new AttentionHeads(mode);
  }

  @Override
  public Class<RecurrentAttentionLayer> type() {
    return RecurrentAttentionLayer.class;
  }

  @Override
  public Optional<String> refusal(RecurrentAttentionLayer config) {
    return config.isProjectInput() ? Optional.empty() : Optional.of(
        "projectInput is false, so its state is dotted with the input channels directly and removing"
            + " a unit or an input channel changes every output; build it with projectInput(true)");
  }

  @Override
  public int[] connect(RecurrentAttentionLayer config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "RecurrentAttentionLayer");
    Widths.expect(config.getNIn(), in, "RecurrentAttentionLayer with nIn=" + config.getNIn());
    return slots.fresh(Math.toIntExact(config.getNOut()));
  }

  @Override
  public int[] inner(RecurrentAttentionLayer config, Slots slots) {
    return slots.fresh(heads.channels(config.getNHeads(), config.getHeadSize()));
  }

  @Override
  public Map<String, Integer> outAxes(RecurrentAttentionLayer config) {
    return Map.of("W", 1, "b", -1, "RW", 1, AttentionHeads.WO, 1, AttentionHeads.WQ, 2);
  }

  @Override
  public Map<String, Integer> inAxes(RecurrentAttentionLayer config) {
    return Map.of("W", 0, AttentionHeads.WK, 2, AttentionHeads.WV, 2);
  }

  @Override
  public Map<String, InnerAxis> innerAxes(RecurrentAttentionLayer config) {
    return heads.axes(config.getNHeads(), config.getHeadSize(), config.getNOut());
  }

  @Override
  public void resize(RecurrentAttentionLayer config, List<int[]> keepIn, int[] keepOut) {
    resize(config, keepIn, keepOut, AttentionHeads.all(heads.channels(config.getNHeads(), config.getHeadSize())));
  }

  @Override
  public void resize(RecurrentAttentionLayer config, List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    config.setNIn(keepIn.get(0).length);
    config.setNOut(keepOut.length);
    heads.resize(keepInner, config::setNHeads, config::setHeadSize);
    config.setLayerParams(null); // DL4J caches the parameter shapes; they are defined again from the new sizes
  }

  @Override
  public Map<String, INDArray> slice(
      RecurrentAttentionLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    return slice(config, params, keepIn, keepOut,
        AttentionHeads.all(heads.channels(config.getNHeads(), config.getHeadSize())));
  }

  @Override
  public Map<String, INDArray> slice(RecurrentAttentionLayer config, Map<String, INDArray> params,
      List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    int[] h = heads.heads(config.getNHeads(), keepInner);
    int[] d = heads.dims(config.getHeadSize(), keepInner);
    int[] in = keepIn.get(0);
    Map<String, INDArray> sliced = new LinkedHashMap<>();
    params.forEach((key, value) -> sliced.put(key, switch (key) {
      case "W" -> Slicing.keep(Slicing.keep(value, 1, keepOut), 0, in);
      case "RW" -> Slicing.keep(Slicing.keep(value, 1, keepOut), 0, keepOut);
      case "b" -> Slicing.keepLast(value, keepOut);
      case AttentionHeads.WQ -> heads.query(value, h, d, keepOut);
      case AttentionHeads.WK, AttentionHeads.WV -> heads.projection(value, h, d, in);
      case AttentionHeads.WO -> heads.output(value, config.getNHeads(), config.getHeadSize(), h, d, keepOut);
      default -> throw new IllegalArgumentException(
          "RecurrentAttentionLayer parameter '" + key + "' is not one this pruner knows");
    }));
    return sliced;
  }

  /**
   * {@code T n_in n} for the input weights, and at each of the {@code T - 1} later steps one
   * query against all {@code T} input steps ({@link AttentionHeads#macs}; DL4J projects the keys
   * and values again at every step) plus {@code n^2} for RW.
   */
  @Override
  public Cost cost(RecurrentAttentionLayer config, List<InputType> in, InputType out) {
    long t = Costs.steps(in.get(0));
    long nIn = config.getNIn();
    long n = config.getNOut();
    long attention = AttentionHeads.macs(1, t, n, nIn, nIn, config.getNHeads(), config.getHeadSize(), n);
    return Cost.macs(t * nIn * n + (t - 1) * (attention + n * n));
  }
}
