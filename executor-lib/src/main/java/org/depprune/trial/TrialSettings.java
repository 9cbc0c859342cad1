package org.depprune.trial;

import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * What every trial of a search shares: the input shape, batch sizes, calibration and latency
 * settings, and the base model's MACs (the denominator of a plan's MACs share).
 */
public record TrialSettings(
    int height,
    int width,
    int channels,
    int finetuneBatchSize,
    int calibrationBatches,
    int calibrationBatchSize,
    int latencyBatchSize,
    int latencyWarmup,
    int latencyRuns,
    int roundTo,
    List<String> ignoredLayers,
    long baseMacs,
    int nd4jThreads)
    implements Serializable {
  public TrialSettings {
    ignoredLayers = List.copyOf(ignoredLayers);
  }

  public InputType inputType() {
    return InputType.convolutional(height, width, channels);
  }
}
