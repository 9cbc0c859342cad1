package org.depprune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.depprune.data.BatchIterator;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;
import org.depprune.data.Split;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.model.ModelFiles;
import org.depprune.pruning.Pruner;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;

/**
 * EagleEye's observation on DepPrune's committed base model and Debian's Fashion-MNIST: after
 * pruning half of every group's channels, recalibrating the batch-norm statistics on 256 training
 * images, with no gradient step, raises the accuracy on held-out images.
 */
class BatchNormRecalibrationIT {
  private static final Path MODEL = Path.of("..", "models", "base-resnet.zip");

  @Test
  void recalibrationRaisesTheAccuracyOfAHalfPrunedBaseModel() throws IOException {
    LabeledImages images = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    Split split = ModelFiles.recordedSplit(MODEL).orElseThrow().apply(images.size());
    int[] calibration = Arrays.copyOf(split.train(), 4 * 64);
    int[] heldOut = Arrays.copyOf(split.validation(), 1_000);
    var validation = BatchIterator.ordered(images, heldOut, 250);

    Model base = ModelFiles.load(MODEL);
    double baseAccuracy = Evaluator.accuracy(base, validation);
    Model pruned = Pruner.builder(new MagnitudeImportance()).optRatio(0.5).build().run(base).network();
    double before = Evaluator.accuracy(pruned, validation);

    var result = BatchNormRecalibration.recalibrate(pruned, BatchIterator.ordered(images, calibration, 64));
    double after = Evaluator.accuracy(pruned, validation);

    System.out.printf("base model %.4f; pruned 50%% %.4f; after batch-norm recalibration %.4f%n",
        baseAccuracy, before, after);
    assertEquals(new BatchNormRecalibration.Result(6, 256), result, "the base model's six batch-norm layers");
    assertTrue(after > before, "recalibration must raise the held-out accuracy: " + before + " -> " + after);
  }
}
