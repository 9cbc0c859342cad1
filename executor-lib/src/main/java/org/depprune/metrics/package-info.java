/**
 * What a network costs: multiply-accumulates (MACs) and parameters counted from its
 * configuration and input type, and latency measured by timing forward passes.
 */
package org.depprune.metrics;
