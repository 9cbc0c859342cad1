package org.depprune.layers;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The head structure DL4J's multi-head attention shares (self-attention, recurrent attention and
 * the attention vertex): projections {@code Wq, Wk, Wv [nHeads, headSize, n]} and an output
 * projection {@code Wo [nHeads * headSize, nOut]} whose rows are head-major. The INNER channels
 * are the heads or the per-head dimensions ({@link AttentionMode}).
 */
final class AttentionHeads {
  static final String WQ = "Wq";
  static final String WK = "Wk";
  static final String WV = "Wv";
  static final String WO = "Wo";

  private final AttentionMode mode;

  AttentionHeads(AttentionMode mode) {
    this.mode = mode;
  }

  AttentionMode mode() {
    return mode;
  }

  /** How many INNER channels: heads, or dimensions per head. */
  int channels(long nHeads, long headSize) {
    return Math.toIntExact(mode == AttentionMode.HEADS ? nHeads : headSize);
  }

  /** Where the INNER channels lie in each projection (Wo seen as {@code [nHeads, headSize, nOut]}). */
  Map<String, InnerAxis> axes(long nHeads, long headSize, long nOut) {
    int axis = mode == AttentionMode.HEADS ? 0 : 1;
    return Map.of(
        WQ, InnerAxis.of(axis), WK, InnerAxis.of(axis), WV, InnerAxis.of(axis),
        WO, InnerAxis.viewed(axis, nHeads, headSize, nOut));
  }

  /** Every INNER position (for a resize or slice that keeps the heads as they are). */
  static int[] all(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }

  /** The kept heads for {@code keepInner}. */
  int[] heads(long nHeads, int[] keepInner) {
    return mode == AttentionMode.HEADS ? keepInner : all(Math.toIntExact(nHeads));
  }

  /** The kept dimensions of every head for {@code keepInner}. */
  int[] dims(long headSize, int[] keepInner) {
    return mode == AttentionMode.DIMS ? keepInner : all(Math.toIntExact(headSize));
  }

  /** Sets {@code nHeads} or {@code headSize} on a resized configuration. */
  void resize(int[] keepInner, java.util.function.IntConsumer setHeads, java.util.function.LongConsumer setHeadSize) {
    if (mode == AttentionMode.HEADS) {
      setHeads.accept(keepInner.length);
    } else {
      setHeadSize.accept(keepInner.length);
    }
  }

  /** A projection {@code [nHeads, headSize, n]} with the kept heads, dimensions and {@code keepN}. */
  INDArray projection(INDArray w, int[] heads, int[] dims, int[] keepN) {
    return Slicing.keep(Slicing.keep(Slicing.keep(w, 0, heads), 1, dims), 2, keepN);
  }

  /**
   * The query projection with the kept heads, dimensions and {@code keepN}. DL4J divides the
   * scores by {@code sqrt(headSize)}; where dimensions go, the kept query weights are multiplied
   * by {@code sqrt(kept / headSize)} so the scores of the kept dimensions stay exactly as they were.
   */
  INDArray query(INDArray wq, int[] heads, int[] dims, int[] keepN) {
    INDArray kept = projection(wq, heads, dims, keepN);
    return dims.length == wq.size(1) ? kept : kept.muli(Math.sqrt((double) dims.length / wq.size(1)));
  }

  /** The output projection {@code [nHeads * headSize, nOut]} with the kept heads, dimensions, outputs. */
  INDArray output(INDArray wo, long nHeads, long headSize, int[] heads, int[] dims, int[] keepOut) {
    INDArray byHead = wo.reshape('c', nHeads, headSize, wo.size(1));
    INDArray kept = Slicing.keep(Slicing.keep(Slicing.keep(byHead, 0, heads), 1, dims), 2, keepOut);
    return kept.reshape('c', (long) heads.length * dims.length, keepOut.length);
  }

  /**
   * MACs of one multi-head attention: {@code tq} queries of width {@code nq} against {@code tk}
   * keys and values of widths {@code nk}, {@code nv}: {@code tq nq H d + tk (nk + nv) H d} for the
   * projections, {@code 2 tq tk H d} for the scores and their weighted sum of values, and
   * {@code tq H d nOut} for the output projection ({@code H} heads of size {@code d}).
   */
  static long macs(long tq, long tk, long nq, long nk, long nv, long heads, long headSize, long nOut) {
    long hd = heads * headSize;
    return tq * nq * hd + tk * (nk + nv) * hd + 2 * tq * tk * hd + tq * hd * nOut;
  }
}
