/**
 * Training and evaluation: fitting a network for a number of epochs (or a budget of examples)
 * while recording the loss, measuring accuracy and loss on a held-out iterator, recalibrating a
 * pruned network's batch-norm statistics without a gradient step (EagleEye), and finetuning a
 * pruned network with knowledge distillation from its unpruned base ({@link
 * org.depprune.train.Distillation}).
 */
package org.depprune.train;
