package org.depprune.driver.finetune;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.depprune.network.Network;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The layers' own updater configurations, captured before the data-parallel finetune sets rates
 * round by round and put back after it, so a final model carries the configuration (and schedule)
 * its base was trained with, as a trial's model does.
 *
 * @param byLayer each layer's updater and bias updater (null when it has none), copied
 */
record OwnUpdaters(Map<String, IUpdater[]> byLayer) {

  /** Copies of every layer's updaters in {@code net}. */
  static OwnUpdaters capture(Network net) {
    Map<String, IUpdater[]> byLayer = new LinkedHashMap<>();
    for (var layer : net.runtimeLayers()) {
      if (layer.conf() != null && layer.conf().getLayer() instanceof BaseLayer b && b.getIUpdater() != null) {
        byLayer.put(b.getLayerName(), new IUpdater[] {b.getIUpdater().clone(),
            b.getBiasUpdater() == null ? null : b.getBiasUpdater().clone()});
      }
    }
    return new OwnUpdaters(byLayer);
  }

  /** Puts the captured updaters back on the layers of the same names in {@code net}, with a fresh updater state. */
  void restore(Network net) {
    for (var layer : net.runtimeLayers()) {
      if (layer.conf() != null && layer.conf().getLayer() instanceof BaseLayer b) {
        IUpdater[] own = byLayer.get(b.getLayerName());
        if (own != null) {
          b.setIUpdater(own[0]);
          b.setBiasUpdater(own[1]);
        }
      }
    }
    net.resetUpdater();
  }
}
