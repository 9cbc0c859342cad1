package org.depprune.layers;

import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.CapsuleStrengthLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;

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
    // Volumes and miscellany:
    registry.refuse(CapsuleLayer.class,
        "dynamic routing couples every input capsule (a softmax over the routing logits, then a squash"
            + " over each output capsule's dimensions), and its weights [1, inputCapsules,"
            + " capsules*capsuleDimensions, inputCapsuleDimensions, 1] have no channel axis that can be"
            + " removed exactly. Keep the capsule stage whole: add it to the ignored layers");
    registry.refuse(CapsuleStrengthLayer.class,
        "it outputs each capsule's length (the L2 norm over its dimensions), so no capsule dimension can be"
            + " removed without changing the lengths. Keep the capsule stage whole: add it to the ignored"
            + " layers");
    registry.refuse(VariationalAutoencoder.class,
        "its forward pass is the mean of p(z|x), but its decoder's last weights parameterise the"
            + " reconstruction distribution of the input, laid out by the ReconstructionDistribution"
            + " (e.g. a Gaussian's mean and log-variance blocks), which DepPrune does not map. Use the"
            + " trained encoder as DenseLayers, or add the layer to the ignored layers");
  }
}
