package org.depprune.graph;

/** The side of a node whose channels a dependency touches. */
public enum Side {
  /** The channels (or features) a node consumes. */
  IN,
  /** The channels (or features) a node produces. */
  OUT
}
