/**
 * Training and evaluation: fitting a network for a number of epochs (or a budget of examples)
 * while recording the loss, measuring accuracy and loss on a held-out iterator, and
 * recalibrating a pruned network's batch-norm statistics without a gradient step (EagleEye).
 */
package org.depprune.train;
