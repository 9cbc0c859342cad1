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
    // Reshapes: Keras-import preprocessors whose channel mapping is not exact.
    registry.refuse(org.deeplearning4j.preprocessors.PermutePreprocessor.class,
        "a Keras Permute moves the channel axis to a position that depends on the imported data"
            + " format, so channels cannot be followed through it exactly; the channels on both"
            + " sides are kept. To prune through it, remove the Permute from the Keras model or"
            + " replace it by a CnnToRnnPreProcessor or RnnToCnnPreProcessor");
  }
}
