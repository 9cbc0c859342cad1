package org.depprune.importance;

import java.util.HashMap;
import java.util.Map;
import org.depprune.metrics.ComputeLock;
import org.depprune.network.Network;
import org.depprune.network.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Loss gradients averaged over calibration batches, per layer and parameter key: with {@code g}
 * the gradient of a batch's mean loss, the mean gradient {@code E[g]} (for Taylor) and the mean
 * squared gradient {@code E[g^2]} (an empirical-Fisher estimate of the Hessian's diagonal, taken
 * per batch, for Optimal Brain Damage). The network is not updated.
 */
record Gradients(Map<String, Map<String, INDArray>> mean, Map<String, Map<String, INDArray>> meanSquare) {

  /**
   * The gradients of {@code net} on up to {@code maxBatches} batches of {@code calibration}.
   * Gradients are taken in training mode, so dropout draws masks from ND4J's generator: it is
   * seeded with {@code seed} (the trial's), so the same network, batches and seed always give the
   * same scores, and it is left where that stream ends, so whatever the trial draws next still
   * follows the trial's seed.
   */
  static Gradients of(Network net, DataSetIterator calibration, int maxBatches, long seed) {
    if (maxBatches <= 0) {
      throw new IllegalArgumentException("calibration needs at least one batch, found " + maxBatches);
    }
    Map<String, Map<String, INDArray>> sum = new HashMap<>();
    Map<String, Map<String, INDArray>> sumSquare = new HashMap<>();
    calibration.reset();
    Seeds.nd4j(seed);
    int batches = 0;
    while (calibration.hasNext() && batches < maxBatches) {
      DataSet batch = calibration.next();
      // One calibration batch is one unit of compute: a latency measurement waits for it.
      ComputeLock.shared(() -> net.gradients(batch).forEach((layer, byKey) -> byKey.forEach((key, gradient) -> {
        // DL4J's gradient is the minibatch sum (its updater divides later): make it the mean's.
        INDArray g = gradient.div(batch.numExamples());
        sum.computeIfAbsent(layer, k -> new HashMap<>()).merge(key, g, INDArray::add);
        sumSquare.computeIfAbsent(layer, k -> new HashMap<>()).merge(key, g.mul(g), INDArray::add);
      })));
      batches++;
    }
    if (batches == 0) {
      throw new IllegalArgumentException("the calibration iterator yielded no batch");
    }
    int n = batches;
    sum.values().forEach(m -> m.replaceAll((k, v) -> v.div(n)));
    sumSquare.values().forEach(m -> m.replaceAll((k, v) -> v.div(n)));
    return new Gradients(sum, sumSquare);
  }

  INDArray mean(String layer, String key) {
    return mean.getOrDefault(layer, Map.of()).get(key);
  }

  INDArray meanSquare(String layer, String key) {
    return meanSquare.getOrDefault(layer, Map.of()).get(key);
  }
}
