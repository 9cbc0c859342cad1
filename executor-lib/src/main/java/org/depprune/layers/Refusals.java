package org.depprune.layers;

import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.ocnn.OCNNOutputLayer;
import org.deeplearning4j.nn.modelimport.keras.layers.TFOpLayer;
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
    registry.refuse(FrozenLayer.class, "frozen layers are left as they are; PrunerRegistry.defaults()"
        + ".withFrozenLayers() prunes them like the layer they wrap");
    registry.refuse(FrozenLayerWithBackprop.class, "frozen layers are left as they are; unfreeze it"
        + " (its inner layer is pruned like any other) to prune it");
    registry.refuse(FrozenVertex.class, "a frozen vertex is left as it is; unfreeze it to prune"
        + " through it");
    registry.refuse(OCNNOutputLayer.class, "a one-class output layer: its hidden units and r are"
        + " trained against one score, and no importance criterion scores them; ignore its input"
        + " layer or register a LayerPruner for it");
    registry.refuse(TFOpLayer.class, "a TensorFlow op imported from Keras: DepPrune cannot see"
        + " which channels the op mixes; replace the op with DL4J layers before importing");
    // Reshapes: Keras-import preprocessors whose channel mapping is not exact.
    registry.refuse(org.deeplearning4j.preprocessors.PermutePreprocessor.class,
        "a Keras Permute moves the channel axis to a position that depends on the imported data"
            + " format, so channels cannot be followed through it exactly; the channels on both"
            + " sides are kept. To prune through it, remove the Permute from the Keras model or"
            + " replace it by a CnnToRnnPreProcessor or RnnToCnnPreProcessor");
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
    registry.refuse(org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer.class,
        "DL4J 1.0.0-M2.1 cannot run its forward pass (its scatter_update of the batch size fails), so"
            + " a pruned copy could not be checked or used; use SelfAttentionLayer (prunable by heads) instead");
  }
}
