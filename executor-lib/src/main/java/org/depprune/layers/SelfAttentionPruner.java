package org.depprune.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code SelfAttentionLayer} with {@code projectInput}: projections {@code Wq, Wk, Wv
 * [nHeads, headSize, nIn]} and {@code Wo [nHeads * headSize, nOut]}, no biases. Its IN channels
 * (the projections' last axis) follow the producer like a dense layer's inputs; its OUT channels
 * (Wo's columns) are its own, like dense units; its heads (or the dimensions of every head) are
 * INNER channels. Without {@code projectInput} the attention scores read every input channel
 * directly, so no channel can be removed exactly: that configuration is refused.
 */
final class SelfAttentionPruner implements LayerPruner<SelfAttentionLayer> {
  private final AttentionHeads heads;

  SelfAttentionPruner(AttentionMode mode) {
    this.heads = new AttentionHeads(mode);
  }

  @Override
  public Class<SelfAttentionLayer> type() {
    return SelfAttentionLayer.class;
  }

  @Override
  public Optional<String> refusal(SelfAttentionLayer config) {
    return config.isProjectInput() ? Optional.empty() : Optional.of(
        "projectInput is false, so its attention scores read every input channel and removing one"
            + " changes every output; build it with projectInput(true) to prune its inputs, outputs and heads");
  }

  @Override
  public int[] connect(SelfAttentionLayer config, List<int[]> inputSlots, Slots slots) {
    int[] in = Widths.single(inputSlots, "SelfAttentionLayer");
    Widths.expect(config.getNIn(), in, "SelfAttentionLayer with nIn=" + config.getNIn());
    return slots.fresh(Math.toIntExact(config.getNOut()));
  }

  @Override
  public int[] inner(SelfAttentionLayer config, Slots slots) {
    return slots.fresh(heads.channels(config.getNHeads(), config.getHeadSize()));
  }

  @Override
  public Map<String, Integer> outAxes(SelfAttentionLayer config) {
    return Map.of(AttentionHeads.WO, 1);
  }

  @Override
  public Map<String, Integer> inAxes(SelfAttentionLayer config) {
    return Map.of(AttentionHeads.WQ, 2, AttentionHeads.WK, 2, AttentionHeads.WV, 2);
  }

  @Override
  public Map<String, InnerAxis> innerAxes(SelfAttentionLayer config) {
    return heads.axes(config.getNHeads(), config.getHeadSize(), config.getNOut());
  }

  @Override
  public void resize(SelfAttentionLayer config, List<int[]> keepIn, int[] keepOut) {
    resize(config, keepIn, keepOut, AttentionHeads.all(heads.channels(config.getNHeads(), config.getHeadSize())));
  }

  @Override
  public void resize(SelfAttentionLayer config, List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    config.setNIn(keepIn.get(0).length);
    config.setNOut(keepOut.length);
    heads.resize(keepInner, config::setNHeads, config::setHeadSize);
    config.setLayerParams(null); // DL4J caches the parameter shapes; they are defined again from the new sizes
  }

  @Override
  public Map<String, INDArray> slice(
      SelfAttentionLayer config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    return slice(config, params, keepIn, keepOut,
        AttentionHeads.all(heads.channels(config.getNHeads(), config.getHeadSize())));
  }

  @Override
  public Map<String, INDArray> slice(SelfAttentionLayer config, Map<String, INDArray> params,
      List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    int[] h = heads.heads(config.getNHeads(), keepInner);
    int[] d = heads.dims(config.getHeadSize(), keepInner);
    Map<String, INDArray> sliced = new LinkedHashMap<>();
    params.forEach((key, value) -> sliced.put(key, switch (key) {
      case AttentionHeads.WQ -> heads.query(value, h, d, keepIn.get(0));
      case AttentionHeads.WK, AttentionHeads.WV -> heads.projection(value, h, d, keepIn.get(0));
      case AttentionHeads.WO -> heads.output(value, config.getNHeads(), config.getHeadSize(), h, d, keepOut);
      default -> throw new IllegalArgumentException(
          "SelfAttentionLayer parameter '" + key + "' is not one this pruner knows (Wq, Wk, Wv, Wo)");
    }));
    return sliced;
  }

  /** Multi-head attention of the sequence with itself ({@link AttentionHeads#macs}). */
  @Override
  public Cost cost(SelfAttentionLayer config, List<InputType> in, InputType out) {
    long t = Costs.steps(in.get(0));
    long n = config.getNIn();
    return Cost.macs(AttentionHeads.macs(t, t, n, n, n, config.getNHeads(), config.getHeadSize(), config.getNOut()));
  }
}
