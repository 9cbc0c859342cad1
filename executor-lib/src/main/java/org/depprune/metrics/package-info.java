/**
 * What a network costs: multiply-accumulates (MACs) and parameters counted from its
 * configuration and input type, and latency measured by timing forward passes. Latency measured
 * while other trials share the JVM goes through {@link org.depprune.metrics.ComputeLock}, which
 * pauses DepPrune's other compute for the measurement.
 */
package org.depprune.metrics;
