package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.depprune.data.SplitSpec;
import org.depprune.driver.cli.DepPruneCli;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the driver reads before a search, from a base model that {@code train-base} wrote. */
class SearchInputsTest {
  @TempDir Path dir;

  @Test
  void aBaseModelTrainedOnPartOfItsSplitIsAccepted() throws Exception {
    SearchFixture.write(dir);
    Path model = dir.resolve("limited.zip");
    int code = DepPruneCli.commandLine().execute("train-base", "--data", dir.resolve("data").toString(), "--out",
        model.toString(), "--epochs", "1", "--train-limit", "100", "--validation-size", "100", "--split-seed", "7",
        "--width", "4", "--dense", "8", "--batch-size", "50");
    assertEquals(0, code);
    TrainingProvenance provenance = ModelFiles.readProvenance(model, TrainingProvenance.class);
    assertEquals(300, provenance.trainExamples(), "the training part of the split: 400 images less 100");
    assertEquals(100, provenance.trainedOnExamples(), "the images it was trained on");

    SearchConfig config = SearchConfig.parse(SearchFixture.config(dir, Map.of("base-model", "\"" + model + "\"")),
        Map.of("output", dir.resolve("out").toString()));
    SearchInputs inputs = SearchInputs.load(config, new Configuration());
    assertEquals(java.util.Optional.of(new SplitSpec(100, 7)), inputs.recordedSplit());
    assertEquals(provenance.spec().width(), 4);
  }
}
