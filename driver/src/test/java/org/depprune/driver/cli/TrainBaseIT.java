package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.depprune.data.FashionMnist;
import org.depprune.data.BatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.data.Split;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.depprune.train.Evaluator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code depprune train-base} end to end on a slice of the real Fashion-MNIST. */
class TrainBaseIT {
  @TempDir Path dir;

  @Test
  void trainsSavesAndRecordsWhatItMeasured() throws Exception {
    Path out = dir.resolve("base.zip");
    DepPruneCliTest.Result r =
        DepPruneCliTest.run(
            "train-base", "--out", out.toString(), "--epochs", "1", "--train-limit", "1280", "--batch-size", "32",
            "--width", "8", "--dense", "32", "--validation-size", "1000", "--seed", "3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("saved " + out), r.out());

    TrainingProvenance provenance = ModelFiles.readProvenance(out, TrainingProvenance.class);
    assertEquals(59_000, provenance.trainExamples(), "the training part of the split");
    assertEquals(1280, provenance.trainedOnExamples(), "the images it saw");
    assertEquals(1000, provenance.validationExamples());
    assertEquals(3, provenance.spec().seed());
    assertEquals(8, provenance.spec().width());
    assertEquals(1, provenance.epochLosses().size());
    assertEquals("1.0.0-M2.1", provenance.versions().get("dl4j"));

    // The accuracies in the provenance are those of the saved model on the recorded split.
    ComputationGraph net = (ComputationGraph) ModelFiles.load(out);
    LabeledImages train = FashionMnist.train(FashionMnist.DEBIAN_DIR);
    Split split = Split.of(train.size(), provenance.validationExamples(), provenance.splitSeed());
    double validation =
        Evaluator.accuracy(net, BatchIterator.ordered(train, split.validation(), 256));
    assertEquals(provenance.validationAccuracy(), validation, 1e-9);
    assertTrue(validation > 0.3, "one short epoch already beats chance (0.1): " + validation);
    assertArrayEquals(new long[] {2, 10}, net.outputSingle(
        BatchIterator.ordered(train, new int[] {0, 1}, 2).next().getFeatures()).shape());
  }
}
