/**
 * Inference-only copies of a (pruned) network for deployment: batch norm folded into the
 * convolution or dense layer before it, an activation layer after such a layer fused into it,
 * dropout removed, outputs unchanged.
 */
package org.depprune.export;
