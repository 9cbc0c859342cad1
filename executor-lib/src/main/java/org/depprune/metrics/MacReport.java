package org.depprune.metrics;

import java.util.Map;

/**
 * The cost of one forward pass of one example.
 *
 * @param macs multiply-accumulates of the weighted layers (convolutions, dense, recurrent)
 * @param otherOps element-wise work reported apart: batch norm, pooling, element-wise vertices
 * @param params the number of parameters
 * @param perLayer MACs of each weighted layer, by name, in topological order
 */
public record MacReport(long macs, long otherOps, long params, Map<String, Long> perLayer) {
  public MacReport {
    perLayer = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perLayer));
  }
}
