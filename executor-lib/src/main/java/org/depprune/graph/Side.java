package org.depprune.graph;

/** The side of a node whose channels a dependency touches. */
public enum Side {
  /** The channels (or features) a node consumes. */
  IN,
  /** The channels (or features) a node produces. */
  OUT,
  /**
   * Channels that live only inside a node, on neither its input nor its output: an attention
   * layer's heads (or the dimensions of every head). Pruning them changes the node alone.
   */
  INNER
}
