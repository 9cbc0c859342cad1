package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.graph.DepGraph;
import org.depprune.metrics.MacCounter;
import org.depprune.model.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code MultiLayerNetwork} base model goes through every command as a {@code ComputationGraph}
 * does: {@code prune}, {@code stats}, {@code bench-criteria} and {@code search} (with its final
 * data-parallel finetune, through dl4j-spark's {@code SparkDl4jMultiLayer}).
 */
class SequentialModelIT {
  private static final InputType MNIST = InputType.convolutional(28, 28, 1);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path model;
  static String data;

  @BeforeAll
  static void fixture() throws Exception {
    SearchFixture.write(dir);
    model = SearchFixture.writeSequential(dir);
    data = dir.resolve("data").toString();
  }

  @Test
  void prune() throws Exception {
    Path out = dir.resolve("pruned.zip");
    DepPruneCliTest.Result r = DepPruneCliTest.run("prune", "--model", model.toString(), "--data", data,
        "--criterion", "group-taylor", "--ratio", "0.5", "--out", out.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    MultiLayerNetwork pruned = assertInstanceOf(MultiLayerNetwork.class, ModelFiles.load(out));
    DepGraph graph = DepGraph.of(pruned);
    assertEquals(3, graph.group("conv1").channels());
    assertEquals(4, graph.group("conv2").channels());
    assertEquals(6, graph.group("dense").channels());
    assertEquals(pruned.numParams(), JSON.readTree(r.out()).get("paramsAfter").asLong());
  }

  @Test
  void stats() throws Exception {
    DepPruneCliTest.Result r = DepPruneCliTest.run("stats", "--model", model.toString(), "--json", "--batch", "2",
        "--runs", "2");
    assertEquals(0, r.code(), r.err());
    JsonNode stats = JSON.readTree(r.out());
    // conv1 28x28x6x1x9, conv2 14x14x8x6x9, dense (8x14x14) x 12, output 12 x 10.
    assertEquals(28L * 28 * 6 * 9 + 14L * 14 * 8 * 6 * 9 + 8L * 14 * 14 * 12 + 12 * 10, stats.get("macs").asLong());
    assertEquals(MacCounter.count(ModelFiles.load(model), MNIST).macs(), stats.get("macs").asLong());
    assertTrue(stats.get("latencyMillis").asDouble() > 0);
  }

  @Test
  void benchCriteria() throws Exception {
    Path table = dir.resolve("criteria.csv");
    DepPruneCliTest.Result r = DepPruneCliTest.run("bench-criteria", "--model", model.toString(), "--data", data,
        "--criteria", "magnitude,hessian", "--finetune-examples", "64", "--csv", table.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(table);
    assertEquals(3, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(1).startsWith("magnitude,0.4") || lines.get(1).startsWith("magnitude,0.5"), lines.get(1));
    assertTrue(lines.get(2).startsWith("hessian,"), lines.get(2));
  }

  @Test
  void searchWithItsFinalFinetune() throws Exception {
    Path config = Files.writeString(dir.resolve("sequential.conf"), SearchFixture.config(dir, Map.of(
        "base-model", "\"" + model + "\"", "evolution.generations", "0", "parallelism", "2",
        "final.macs-budgets", "[0.9]", "final.epochs", "1", "final.batch-size-per-worker", "16")));
    Path out = dir.resolve("search");
    DepPruneCliTest.Result r = DepPruneCliTest.run("search", "--config", config.toString(), "--master", "local[2]",
        "--out", out.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertEquals(List.of("conv1", "conv2", "dense"),
        JSON.convertValue(summary.get("layers"), List.class), "the searched layers are the sequential model's groups");
    assertEquals(0, summary.get("errors").asInt(), r.out());
    assertFalse(summary.get("front").isEmpty());
    for (JsonNode row : summary.get("front")) {
      Path front = out.resolve("pareto").resolve(row.get("plan_id").asText() + ".zip");
      assertEquals(row.get("params").asLong(),
          assertInstanceOf(MultiLayerNetwork.class, ModelFiles.load(front)).numParams());
    }
    JsonNode fin = summary.get("finals").get(0);
    Path finalModel = out.resolve("final").resolve(fin.get("planId").asText() + ".zip");
    assertEquals(fin.get("params").asLong(), assertInstanceOf(MultiLayerNetwork.class, ModelFiles.load(finalModel)).numParams());
    assertEquals(2, fin.get("valLoss").size(), "before and after the one epoch");
  }
}
