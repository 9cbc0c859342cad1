package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import java.util.stream.Stream;
import org.depprune.model.ModelFiles;
import org.depprune.trial.TrialProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depprune search} end to end: the committed base model, the real Fashion-MNIST (a few
 * hundred training images per trial, 500 validation and 1,000 test images), embedded Spark.
 */
class SearchIT {
  @TempDir static Path dir;
  static Path out;
  static DepPruneCliTest.Result r;

  @BeforeAll
  static void search() throws Exception {
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
          finetune.guard = off
        }
        """.formatted(Path.of("../models/base-resnet.zip").toAbsolutePath().normalize()));
    out = dir.resolve("out");
    r = DepPruneCliTest.run("search", "--config", config.toString(), "--out", out.toString());
  }

  @Test
  void aSmallSearchWritesItsWholeOutputDirectory() throws Exception {
    assertEquals(0, r.code(), r.err() + r.out());

    for (String name : List.of("results.jsonl", "results.csv", "summary.json", "base.json", "search.conf", "report.html")) {
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
      assertEquals(row.get("params").asLong(), ModelFiles.load(model).numParams());
      assertTrue(row.get("macs_share").asDouble() < 1.0);
      bestTest = Math.max(bestTest, row.get("test_accuracy").asDouble());
    }
    assertTrue(bestTest > 0.7, "the best pruned model after 256 finetune images: " + bestTest);
    assertTrue(r.out().contains("Pareto front (" + front.size() + " plans"), r.out());
    assertTrue(r.out().contains("[round 0   1/"), r.out());
  }

  /** The notebooks run headless on this search's output (and on a fresh criteria table), every figure written. */
  @Test
  void theNotebooksRunOnTheResults() throws Exception {
    Path figures = dir.resolve("figures");
    Notebooks.execute("explore-search.ipynb", dir.resolve("executed"),
        Map.of("DEPPRUNE_RESULTS", out.toString(), "DEPPRUNE_FIGURES", figures.toString()));
    for (String png : List.of("pareto.png", "criteria.png", "ratios.png", "halving.png", "test_accuracy.png")) {
      assertTrue(isPng(figures.resolve(png)), png);
    }

    Path table = dir.resolve("criteria.csv");
    DepPruneCliTest.Result bench = DepPruneCliTest.run("bench-criteria", "--model", "../models/base-resnet.zip", "--criteria", "random,magnitude",
        "--finetune-examples", "64", "--csv", table.toString());
    assertEquals(0, bench.code(), bench.err());
    List<String> lines = Files.readAllLines(table);
    assertEquals(3, lines.size(), "a header and one row per criterion");
    assertTrue(lines.get(1).startsWith("random,0.48"), lines.get(1));
    Path criteriaFigures = dir.resolve("criteria-figures");
    Notebooks.execute("compare-criteria.ipynb", dir.resolve("executed"),
        Map.of("DEPPRUNE_CRITERIA_CSV", table.toString(), "DEPPRUNE_FIGURES", criteriaFigures.toString()));
    assertTrue(isPng(criteriaFigures.resolve("criteria_accuracy.png")));
    assertTrue(isPng(criteriaFigures.resolve("criteria_latency.png")));
  }

  /** report.html renders in headless Chromium: the screenshot shows the front's red points and line. */
  @Test
  void theReportRendersItsPlotInABrowser() throws Exception {
    Path shot = dir.resolve("report.png");
    Notebooks.screenshot(out.resolve("report.html"), shot);
    BufferedImage image = ImageIO.read(shot.toFile());
    int front = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        front += Math.abs((rgb >> 16) - 0xd6) < 12 && Math.abs(((rgb >> 8) & 0xff) - 0x27) < 12
            && Math.abs((rgb & 0xff) - 0x28) < 12 ? 1 : 0;
      }
    }
    assertTrue(front > 200, "pixels in the front's colour: " + front);
  }

  private static boolean isPng(Path file) throws Exception {
    byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4);
    return Files.size(file) > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
  }
}
