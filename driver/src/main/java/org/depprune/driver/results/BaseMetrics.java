package org.depprune.driver.results;

/**
 * The base model measured like every trial (the same validation images, MACs, latency): the
 * reference point of the front.
 */
public record BaseMetrics(double accuracy, long macs, long params, double latencyMillis) {}
