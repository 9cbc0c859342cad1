package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepPruneCliTest {
  @TempDir Path dir;

  /** Runs the CLI; returns exit code, stdout and stderr. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        DepPruneCli.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  record Result(int code, String out, String err) {}

  /** The committed model exported: no batch norm left, the same predictions, provenance that says so. */
  @Test
  void exportFoldsTheBatchNormsAndSaysSoInTheProvenance() throws Exception {
    Path committed = Path.of("..", "models", "base-resnet.zip");
    Path exported = dir.resolve("deployed.zip");
    Result result = run("export", "--model", committed.toString(), "--out", exported.toString());
    assertEquals(0, result.code(), result.err());
    var original = (org.deeplearning4j.nn.graph.ComputationGraph) org.depprune.model.ModelFiles.load(committed);
    var copy = (org.deeplearning4j.nn.graph.ComputationGraph) org.depprune.model.ModelFiles.load(exported);
    long norms = java.util.Arrays.stream(original.getLayers())
        .filter(l -> l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization).count();
    assertTrue(result.out().contains("folded " + norms + " batch norm(s)"), result.out());
    assertTrue(java.util.Arrays.stream(copy.getLayers())
        .noneMatch(l -> l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization));
    var input = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.factory.Nd4j.getRandomFactory().getNewRandomInstance(8), 8, 1, 28, 28);
    assertEquals(original.outputSingle(false, input).argMax(1), copy.outputSingle(false, input).argMax(1));
    var provenance = org.depprune.model.ModelFiles.readProvenance(exported, org.depprune.model.InferenceProvenance.class);
    assertEquals(norms, provenance.folded().size());
    assertEquals(committed.toString(), provenance.source());
    assertEquals(original.numParams(), provenance.paramsBefore());
    assertTrue(provenance.sourceProvenance().has("format"), "the source model's own provenance is kept");
  }

  @Test
  void setValuesAreHoconOrElsePlainStrings() {
    assertEquals(java.util.List.of(0.4, 0.6), SearchCommand.hocon("final.macs-budgets", "[0.4, 0.6]"));
    assertEquals(3, SearchCommand.hocon("final.epochs", "3"));
    assertEquals("s3a://bucket/data", SearchCommand.hocon("data", "\"s3a://bucket/data\""));
    assertEquals("s3a://bucket/data", SearchCommand.hocon("data", "s3a://bucket/data"), "an unquoted URI");
  }

  @Test
  void underSparkSubmitItsMasterWinsAndAConflictingMasterOptionIsRefused() {
    String missing = dir.resolve("none.zip").toString();
    // spark-submit passes its --master to the application as the system property spark.master.
    System.setProperty("spark.master", "local[1]");
    try {
      Result conflict = run("search", "--master", "local[2]", "--set", "base-model=" + missing, "--out",
          dir.resolve("a").toString());
      assertEquals(1, conflict.code());
      assertTrue(conflict.err().contains("--master local[2] conflicts with spark-submit's master local[1]"),
          conflict.err() + conflict.out());
      Result submitted = run("search", "--set", "master=local[2]", "--set", "base-model=" + missing, "--out",
          dir.resolve("b").toString());
      assertTrue(submitted.out().contains("master local[1]"), "search.master does not override spark-submit: "
          + submitted.out());
    } finally {
      System.clearProperty("spark.master");
    }
    Result alone = run("search", "--master", "local[2]", "--set", "base-model=" + missing, "--out",
        dir.resolve("c").toString());
    assertTrue(alone.out().contains("master local[2]"), "without spark-submit --master applies: " + alone.out());
    assertTrue(alone.err().contains("none.zip"), alone.err());
  }

  @Test
  void statsPrintsTheCountsFirstAndMeasuresLatencyWithinItsBudget() throws Exception {
    Result counts = run("stats", "--zoo", "vgg16", "--no-latency", "--json");
    assertEquals(0, counts.code(), counts.err());
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(counts.out());
    assertEquals(org.depprune.model.Zoo.create("vgg16").numParams(), json.get("params").asLong());
    // VGG-16 at 224x224: 15,346,630,656 in its convolutions (as published), 25088 x 4096 + 4096 x 4096
    // + 4096 x 10 in its dense layers (10 classes).
    assertEquals(15_346_630_656L + 25_088L * 4096 + 4096 * 4096 + 4096 * 10, json.get("macs").asLong());
    assertFalse(json.has("latencyMillis"), "--no-latency skips the measurement");

    Result timed = run("stats", "--zoo", "lenet", "--batch", "1", "--runs", "1000", "--latency-seconds", "1");
    assertEquals(0, timed.code(), timed.err());
    String[] lines = timed.out().split("\n");
    int parameters = indexOf(lines, "  parameters ");
    int progress = indexOf(lines, "latency: warm-up");
    assertTrue(parameters >= 0 && progress > parameters, "the counts come before the measurement:\n" + timed.out());
    var passes = java.util.regex.Pattern.compile("median of (\\d+) passes within a 1 s budget").matcher(timed.out());
    assertTrue(passes.find(), timed.out());
    int n = Integer.parseInt(passes.group(1));
    assertTrue(n >= 1 && n < 1000, "stopped by the budget, not the 1000 runs: " + n);
  }

  @Test
  void statsMeasuresTheInferenceCopyAndTrainingThroughput() throws Exception {
    Path model = Path.of("..", "models", "base-resnet.zip");
    Result plain = run("stats", "--model", model.toString(), "--no-latency", "--json");
    Result r = run("stats", "--model", model.toString(), "--inference-copy", "--train-steps", "2", "--train-batch", "8",
        "--batch", "2", "--runs", "3", "--latency-seconds", "5", "--json");
    assertEquals(0, r.code(), r.err());
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var row = mapper.readTree(r.out());
    var unfolded = mapper.readTree(plain.out());
    var copy = org.depprune.export.InferenceCopy.of(org.depprune.model.ModelFiles.load(model)).network();
    assertEquals(copy.numParams(), row.get("params").asLong(), "the inference copy's parameters");
    // Six batch norms of 16, 16, 16, 32, 32 and 32 channels, four parameters per channel (gamma, beta,
    // mean, log std), all folded into convolutions that already have a bias.
    assertEquals(4 * (3 * 16 + 3 * 32), unfolded.get("params").asLong() - row.get("params").asLong());
    assertTrue(copy.numParams() < unfolded.get("params").asLong(), "the batch norms are gone");
    assertEquals(unfolded.get("macs").asLong(), row.get("macs").asLong(), "folding keeps every convolution MAC");
    assertTrue(row.get("otherOps").asLong() < unfolded.get("otherOps").asLong(), "and removes the batch-norm work");
    assertEquals("onednn", row.get("engine").asText());
    assertTrue(row.get("inferenceCopy").asBoolean());
    assertFalse(unfolded.get("inferenceCopy").asBoolean());
    assertEquals(2, row.get("trainSteps").asInt());
    assertEquals(8, row.get("trainBatch").asInt());
    assertTrue(row.get("trainExamplesPerSecond").asDouble() > 0, row.toString());
    assertEquals(3, row.get("latencyRuns").asInt());
    assertTrue(row.get("latencyP90Millis").asDouble() >= row.get("latencyMillis").asDouble());
    // A settled warm-up ends at a check (every 20 passes); one cut short by the budget says so.
    int warmup = row.get("warmupPasses").asInt();
    assertTrue(row.get("settled").asBoolean() ? warmup % 20 == 0 && warmup >= 40 : warmup >= 1, row.toString());
    assertFalse(unfolded.has("trainExamplesPerSecond"), "no training without --train-steps");
    Result bad = run("stats", "--model", model.toString(), "--no-latency", "--engine", "fast");
    assertEquals(1, bad.code(), bad.out());
    assertTrue(bad.err().contains("unknown engine 'fast': use onednn or plain"), bad.err());
  }

  private static int indexOf(String[] lines, String prefix) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void versionNamesDepPruneAndItsDependencies() {
    Result r = run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("DepPrune 0.1.0"), r.out());
    assertTrue(r.out().contains("DL4J 1.0.0-M2.1, Spark 3.5.8, Java 17"), r.out());
  }

  @Test
  void helpListsTheSubcommands() {
    Result r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("train-base"), r.out());
    Result sub = run("train-base", "--help");
    assertEquals(0, sub.code());
    assertTrue(sub.out().contains("--epochs"), sub.out());
    assertTrue(sub.out().contains("default: 8"), sub.out());
  }

  @Test
  void noSubcommandIsAUsageError() {
    Result r = run();
    assertEquals(2, r.code());
    assertTrue(r.err().contains("name a subcommand"), r.err());
  }

  @Test
  void missingDataSaysWhatToInstallAndWritesNoModel() {
    Path out = dir.resolve("m.zip");
    Result r = run("train-base", "--data", dir.resolve("none").toString(), "--out", out.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
    assertTrue(r.err().startsWith("depprune train-base: "), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void badOptionValuesAreRefused() {
    Result r = run("train-base", "--epochs", "0", "--out", dir.resolve("m.zip").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("epochs must be positive, found 0"), r.err());
    Result notANumber = run("train-base", "--epochs", "many");
    assertEquals(2, notANumber.code());
    assertTrue(notANumber.err().contains("'many' is not an int"), notANumber.err());
  }
}
