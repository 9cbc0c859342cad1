/**
 * Training and evaluation: fitting a network for a number of epochs (or a budget of examples)
 * while recording the loss, and measuring accuracy and loss on a held-out iterator.
 */
package org.depprune.train;
