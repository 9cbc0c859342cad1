package org.depprune.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.graph.AttentionVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code AttentionVertex} with {@code projectInput}: inputs queries, keys and values, projections
 * {@code Wq [nHeads, headSize, nInQueries]}, {@code Wk [.., nInKeys]}, {@code Wv [.., nInValues]}
 * and {@code Wo [nHeads * headSize, nOut]}. Each input's channels follow its producer (one
 * producer may feed all three); its OUT channels (Wo's columns) are its own; its heads (or the
 * dimensions of every head) are INNER channels. Without {@code projectInput} the queries are
 * dotted with the keys directly and the values pass through, so no channel can be removed
 * exactly: that configuration is refused.
 */
final class AttentionVertexPruner implements LayerPruner<AttentionVertex> {
  private final AttentionHeads heads;

  AttentionVertexPruner(AttentionMode mode) {
    this.heads = new AttentionHeads(mode);
  }

  @Override
  public Class<AttentionVertex> type() {
    return AttentionVertex.class;
  }

  @Override
  public Optional<String> refusal(AttentionVertex config) {
    return config.isProjectInput() ? Optional.empty() : Optional.of(
        "projectInput is false, so its queries are dotted with its keys directly and its values pass"
            + " through; build it with projectInput(true) to prune its inputs, outputs and heads");
  }

  @Override
  public int[] connect(AttentionVertex config, List<int[]> inputSlots, Slots slots) {
    if (inputSlots.size() != 3) {
      throw new IllegalArgumentException(
          "AttentionVertex takes three inputs (queries, keys, values), found " + inputSlots.size());
    }
    Widths.expect(config.getNInQueries(), inputSlots.get(0), "AttentionVertex with nInQueries=" + config.getNInQueries());
    Widths.expect(config.getNInKeys(), inputSlots.get(1), "AttentionVertex with nInKeys=" + config.getNInKeys());
    Widths.expect(config.getNInValues(), inputSlots.get(2), "AttentionVertex with nInValues=" + config.getNInValues());
    return slots.fresh(Math.toIntExact(config.getNOut()));
  }

  @Override
  public int[] inner(AttentionVertex config, Slots slots) {
    return slots.fresh(heads.channels(config.getNHeads(), config.getHeadSize()));
  }

  @Override
  public Map<String, Integer> outAxes(AttentionVertex config) {
    return Map.of(AttentionHeads.WO, 1);
  }

  // No inAxes: the IN side is the three inputs side by side, and each projection reads one of them.

  @Override
  public Map<String, InnerAxis> innerAxes(AttentionVertex config) {
    return heads.axes(config.getNHeads(), config.getHeadSize(), config.getNOut());
  }

  @Override
  public void resize(AttentionVertex config, List<int[]> keepIn, int[] keepOut) {
    resize(config, keepIn, keepOut, AttentionHeads.all(heads.channels(config.getNHeads(), config.getHeadSize())));
  }

  @Override
  public void resize(AttentionVertex config, List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    config.setNInQueries(keepIn.get(0).length);
    config.setNInKeys(keepIn.get(1).length);
    config.setNInValues(keepIn.get(2).length);
    config.setNOut(keepOut.length);
    heads.resize(keepInner, config::setNHeads, config::setHeadSize);
    config.setVertexParams(null); // DL4J caches the parameter shapes; they are defined again from the new sizes
  }

  @Override
  public Map<String, INDArray> slice(
      AttentionVertex config, Map<String, INDArray> params, List<int[]> keepIn, int[] keepOut) {
    return slice(config, params, keepIn, keepOut,
        AttentionHeads.all(heads.channels(config.getNHeads(), config.getHeadSize())));
  }

  @Override
  public Map<String, INDArray> slice(AttentionVertex config, Map<String, INDArray> params,
      List<int[]> keepIn, int[] keepOut, int[] keepInner) {
    int[] h = heads.heads(config.getNHeads(), keepInner);
    int[] d = heads.dims(config.getHeadSize(), keepInner);
    Map<String, INDArray> sliced = new LinkedHashMap<>();
    params.forEach((key, value) -> sliced.put(key, switch (key) {
      case AttentionHeads.WQ -> heads.query(value, h, d, keepIn.get(0));
      case AttentionHeads.WK -> heads.projection(value, h, d, keepIn.get(1));
      case AttentionHeads.WV -> heads.projection(value, h, d, keepIn.get(2));
      case AttentionHeads.WO -> heads.output(value, config.getNHeads(), config.getHeadSize(), h, d, keepOut);
      default -> throw new IllegalArgumentException(
          "AttentionVertex parameter '" + key + "' is not one this pruner knows (Wq, Wk, Wv, Wo)");
    }));
    return sliced;
  }

  /** Queries against keys and values ({@link AttentionHeads#macs}). */
  @Override
  public Cost cost(AttentionVertex config, List<InputType> in, InputType out) {
    return Cost.macs(AttentionHeads.macs(Costs.steps(in.get(0)), Costs.steps(in.get(1)),
        config.getNInQueries(), config.getNInKeys(), config.getNInValues(),
        config.getNHeads(), config.getHeadSize(), config.getNOut()));
  }
}
