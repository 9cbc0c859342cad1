package org.depprune.layers;

/**
 * The DL4J types DepPrune does not prune, each with the reason: where no exact channel mapping
 * exists, or where pruning would change what the layer computes. A graph that meets one blocks
 * the channels it touches and gives this reason. Kept here, in one place, so the coverage table
 * (every layer, vertex and preprocessor class of DL4J, supported or refused, and why) is complete.
 */
final class Refusals {
  private Refusals() {}

  static void addTo(PrunerRegistry registry) {
    // One line per refused type: registry.refuse(Type.class, "why, and what would fix it");
    registry.refuse(org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer.class,
        "DL4J 1.0.0-M2.1 cannot run its forward pass (its scatter_update of the batch size fails), so"
            + " a pruned copy could not be checked or used; use SelfAttentionLayer (prunable by heads) instead");
  }
}
