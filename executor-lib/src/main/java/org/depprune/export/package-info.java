/**
 * Inference-only copies of a (pruned) network for deployment: batch norm folded into the
 * convolution or dense layer before it, dropout removed, outputs unchanged.
 */
package org.depprune.export;
