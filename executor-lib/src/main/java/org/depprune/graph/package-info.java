/**
 * The dependency graph of a DL4J network (DepGraph, Fang et al., CVPR 2023): nodes are layers and
 * vertices, every channel on every node's IN and OUT side (and INNER, inside an attention layer:
 * its heads) is a slot, and slots that must be
 * removed together (a conv's filter, the batch norm after it, the next layer's input channel,
 * every branch of a residual add) are joined. A {@link org.depprune.graph.Group} is a set of such
 * coupled channels with the same footprint: pruning channel {@code i} of a group removes it from
 * every member at once. A {@link org.depprune.graph.Pruning} is a replayable record of what to
 * remove; the graph applies it by deciding what each node keeps and rebuilding the network
 * (package-private {@code NetworkRebuilder}) with the layer types' pruners.
 */
package org.depprune.graph;
