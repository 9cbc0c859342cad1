/**
 * The ground floor: one adapter, {@link org.depprune.network.Network}, over DL4J's two network
 * classes ({@code ComputationGraph} and {@code MultiLayerNetwork}), so that nothing else in
 * DepPrune needs to tell them apart. It names layers, lists vertices in topological order, gives
 * parameters, activation types, gradients, training and inference steps, the batch-norm inputs
 * of a pass with batch norm in training mode, and an editable copy of the configuration to build
 * a pruned network from.
 */
package org.depprune.network;
