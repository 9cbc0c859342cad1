package org.depprune.layers;

/**
 * What one INNER channel of an attention layer is, chosen per registry with
 * {@link PrunerRegistry#withAttentionHeads}.
 */
public enum AttentionMode {
  /**
   * Channel {@code h} is head {@code h}: its {@code headSize} rows in each of the query, key and
   * value projections and its {@code headSize} input rows of the output projection. Pruning sets
   * {@code nHeads}. The default: whole heads are the structure multi-head attention is built of
   * (Michel et al., "Are Sixteen Heads Really Better than One?", NeurIPS 2019).
   */
  HEADS,
  /**
   * Channel {@code d} is dimension {@code d} of every head: the same number of dimensions goes
   * from every head. Pruning sets {@code headSize}, and the query projection is rescaled by
   * {@code sqrt(new headSize / old headSize)}, since DL4J scales the scores by {@code 1/sqrt(headSize)}.
   */
  DIMS
}
