/**
 * The ground floor of pruning: what DepPrune knows about each DL4J type. One
 * {@link org.depprune.layers.LayerPruner} per layer or vertex type (and one
 * {@link org.depprune.layers.PreprocessorPruner} per preprocessor), in a per-instance
 * {@link org.depprune.layers.PrunerRegistry}, knows how the type's OUT channels relate to its IN
 * channels, how to set new channel counts, how to slice its parameters, and what it costs in MACs
 * ({@link org.depprune.layers.LayerCost}). The dependency graph stands on these; they know nothing
 * of it. Register your own for custom layers. Some types also have INNER channels, inside the
 * node only (an attention layer's heads, see {@link org.depprune.layers.AttentionMode}). The
 * types DepPrune refuses are recorded with their reasons ({@code Refusals}), so every DL4J class
 * is either pruned or refused with a reason (the README's coverage table).
 */
package org.depprune.layers;
