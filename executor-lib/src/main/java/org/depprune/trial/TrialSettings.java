package org.depprune.trial;

import org.depprune.backend.CpuEngine;
import org.depprune.train.FinetuneRecipe;

import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * What every trial of a search shares: the shape of one example as the network takes it, batch
 * sizes, calibration and latency settings, and the base model's MACs (the denominator of a plan's
 * MACs share).
 *
 * @param exampleShape one example without the batch axis: {@code [channels, height, width]},
 *     {@code [height, width, channels]} when {@code channelsLast}, or {@code [features]}
 * @param recalibrationBatches batches of {@code finetuneBatchSize} a budget-0 trial recalibrates
 *     its batch norms on before it is scored (0: none)
 * @param recipe how trials finetune: optimizer, rate, schedule, weight decay
 */
public record TrialSettings(
    List<Long> exampleShape,
    boolean channelsLast,
    int finetuneBatchSize,
    int calibrationBatches,
    int calibrationBatchSize,
    int latencyBatchSize,
    int latencyWarmup,
    int latencyRuns,
    int roundTo,
    List<String> ignoredLayers,
    long baseMacs,
    int nd4jThreads,
    int recalibrationBatches,
    CpuEngine engine,
    FinetuneRecipe recipe)
    implements Serializable {
  public TrialSettings {
    exampleShape = List.copyOf(exampleShape);
    ignoredLayers = List.copyOf(ignoredLayers);
    if (recipe == null) {
      throw new IllegalArgumentException("trial settings need a finetune recipe (FinetuneRecipe.model() is the model's own)");
    }
  }

  /** The network input's type for an example of {@link #exampleShape}. */
  public InputType inputType() {
    return inputType(exampleShape.stream().mapToLong(Long::longValue).toArray(), channelsLast);
  }

  /** The network input's type for an example of {@code shape} (see {@link #exampleShape}). */
  public static InputType inputType(long[] shape, boolean channelsLast) {
    if (shape.length == 1) {
      return InputType.feedForward(shape[0]);
    }
    if (shape.length != 3) {
      throw new IllegalArgumentException("an example must be an image [C, H, W] or a vector [N], found "
          + java.util.Arrays.toString(shape));
    }
    return channelsLast ? InputType.convolutional(shape[0], shape[1], shape[2], CNN2DFormat.NHWC)
        : InputType.convolutional(shape[1], shape[2], shape[0]);
  }

  /** The shape of a batch of {@code n} examples. */
  public long[] batchShape(int n) {
    long[] shape = new long[exampleShape.size() + 1];
    shape[0] = n;
    for (int i = 0; i < exampleShape.size(); i++) {
      shape[i + 1] = exampleShape.get(i);
    }
    return shape;
  }
}
