package org.depprune.importance;

import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;

/** Scores every channel of a group: higher means more important, pruned later. */
public interface Importance {
  /** One score per channel of {@code group}, in channel order. */
  double[] scores(DepGraph graph, Group group);

  /** The criterion's name, as the command line spells it. */
  String name();
}
