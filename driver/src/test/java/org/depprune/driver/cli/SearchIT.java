package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.depprune.model.ModelFiles;
import org.depprune.plan.TrialProvenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depprune search} end to end: the committed base model, the real Fashion-MNIST (a few
 * hundred training images per trial, 500 validation and 1,000 test images), embedded Spark.
 */
class SearchIT {
  @TempDir Path dir;

  @Test
  void aSmallSearchWritesItsWholeOutputDirectory() throws Exception {
    Path config = dir.resolve("small.conf");
    Files.writeString(config, """
        search {
          base-model = "%s"
          criteria = [magnitude, group-taylor]
          uniform.ratios = [0.3, 0.5]
          random.plans-per-criterion = 1
          evolution { generations = 1, population = 4 }
          halving { budgets = [128, 256], promote = 0.5 }
          validation-examples = 500
          test-examples = 1000
          parallelism = 2
        }
        """.formatted(Path.of("../models/base-resnet.zip").toAbsolutePath().normalize()));
    Path out = dir.resolve("out");
    DepPruneCliTest.Result r = DepPruneCliTest.run("search", "--config", config.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err() + r.out());

    for (String name : List.of("results.jsonl", "results.csv", "summary.json", "base.json", "search.conf")) {
      assertTrue(Files.size(out.resolve(name)) > 0, name);
    }
    try (Stream<Path> parquet = Files.list(out.resolve("results.parquet"))) {
      assertTrue(parquet.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")));
    }
    List<String> csv = Files.readAllLines(out.resolve("results.csv"));
    List<String> jsonl = Files.readAllLines(out.resolve("results.jsonl"));
    assertEquals(jsonl.size() + 1, csv.size(), "one CSV line per row, plus the header");
    assertTrue(csv.get(0).startsWith("format,trial_id,plan_id,status,"), csv.get(0));
    assertTrue(csv.get(0).endsWith(",ratio_stem,ratio_block1_conv1,ratio_down,ratio_block2_conv1,ratio_dense"));

    ObjectMapper json = new ObjectMapper();
    JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
    JsonNode base = summary.get("base");
    assertEquals(2_347_008, base.get("macs").asLong());
    assertTrue(base.get("accuracy").asDouble() > 0.88, "the committed base model on 500 validation images");
    JsonNode front = summary.get("front");
    assertTrue(front.size() >= 1);
    double bestTest = 0;
    for (JsonNode row : front) {
      String plan = row.get("plan_id").asText();
      Path model = out.resolve("pareto").resolve(plan + ".zip");
      TrialProvenance provenance = ModelFiles.readProvenance(model, TrialProvenance.class);
      assertEquals(plan, provenance.planId());
      assertEquals(256, provenance.budget());
      assertEquals("1.0.0-M2.1", provenance.versions().get("dl4j"));
      assertEquals(row.get("params").asLong(), ModelFiles.loadGraph(model).numParams());
      assertTrue(row.get("macs_share").asDouble() < 1.0);
      bestTest = Math.max(bestTest, row.get("test_accuracy").asDouble());
    }
    assertTrue(bestTest > 0.7, "the best pruned model after 256 finetune images: " + bestTest);
    assertTrue(r.out().contains("Pareto front (" + front.size() + " plans"), r.out());
    assertTrue(r.out().contains("[round 0   1/"), r.out());
  }
}
