package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.depprune.data.Split;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.model.ModelFiles;
import org.depprune.model.PruningProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune --data}: calibration and finetuning read the training part of the model's own
 * train / validation split (the fixture's base model records 100 of 400 images, seed 7), never
 * its validation images; a model that records no split needs the split given.
 */
class TrainingDataTest {
  @TempDir static Path dir;

  @BeforeAll
  static void fixture() throws Exception {
    SearchFixture.write(dir);
  }

  @Test
  void theModelsRecordedSplitIsUsed() throws Exception {
    Path out = dir.resolve("taylor.zip");
    DepPruneCliTest.Result r = DepPruneCliTest.run("prune", "--model", dir.resolve("base.zip").toString(),
        "--data", dir.resolve("data").toString(), "--criterion", "taylor", "--ratio", "0.25", "--steps", "2",
        "--finetune", "64", "--out", out.toString(), "--json");
    assertEquals(0, r.code(), r.err());

    TrainingData training = TrainingData.load(dir.resolve("data"), ModelFiles.recordedSplit(dir.resolve("base.zip")).orElseThrow(), 3);
    Split split = Split.of(SearchFixture.TRAIN, SearchFixture.VALIDATION, 7);
    assertArrayEquals(split.train(), training.train());
    assertTrue(Arrays.stream(training.train()).noneMatch(i -> Arrays.binarySearch(split.validation(), i) >= 0));
    assertEquals(new org.depprune.data.SplitSpec(100, 7), ModelFiles.readProvenance(out, PruningProvenance.class).split());
  }

  @Test
  void aModelWithoutARecordedSplitNeedsOne() throws Exception {
    String data = dir.resolve("data").toString();
    DepPruneCliTest.Result refused = DepPruneCliTest.run("prune", "--zoo", "lenet", "--data", data, "--criterion",
        "taylor", "--ratio", "0.25");
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("zoo:lenet records no train / validation split; give --validation-size N and"
        + " --split-seed S"), refused.err());

    Path out = dir.resolve("lenet.zip");
    DepPruneCliTest.Result given = DepPruneCliTest.run("prune", "--zoo", "lenet", "--data", data, "--criterion",
        "taylor", "--ratio", "0.25", "--validation-size", "50", "--split-seed", "3", "--out", out.toString());
    assertEquals(0, given.code(), given.err());
    assertEquals(new org.depprune.data.SplitSpec(50, 3), ModelFiles.readProvenance(out, PruningProvenance.class).split());
  }
}
