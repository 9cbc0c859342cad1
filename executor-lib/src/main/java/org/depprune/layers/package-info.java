/**
 * Layer-type knowledge and the network rebuild. One {@link org.depprune.layers.LayerPruner} per
 * DL4J layer or vertex type, in a {@link org.depprune.layers.PrunerRegistry}, knows how the type's
 * OUT channels relate to its IN channels, how to set new channel counts, and how to slice its
 * parameters; {@link org.depprune.graph.NetworkRebuilder} builds the pruned network from a
 * parameter vector sliced from the original.
 */
package org.depprune.layers;
