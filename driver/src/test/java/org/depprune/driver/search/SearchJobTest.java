package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.depprune.model.ModelFiles;
import org.depprune.plan.Plan;
import org.depprune.plan.TrialProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small real search on a {@code local[2]} session: one of its trials cannot save its model
 * (its model path is blocked by a directory), which must give an error row while the search
 * completes; the tables it writes must read back equal; running it again must resume.
 */
class SearchJobTest extends SharedSparkSession {
  static final List<String> LAYERS = List.of("stem", "block1_conv1", "down", "block2_conv1", "dense");

  @TempDir static Path dir;
  static Path out;
  static String blockedTrial;
  static SearchJob.Summary summary;
  static String console;

  @BeforeAll
  static void search() throws Exception {
    SearchFixture.write(dir);
    out = dir.resolve("out");
    blockedTrial = Plan.uniform("magnitude", LAYERS, 0.25).id() + "-b32";
    Path blocker = Files.createDirectories(out.resolve("trials").resolve(blockedTrial + ".zip"));
    Files.writeString(blocker.resolve("in-the-way"), "a directory where the trial's model should go");
    summary = run(out);
  }

  static SearchJob.Summary run(Path output) throws Exception {
    SearchConfig config = SearchConfig.parse(SearchFixture.config(dir, Map.of()), Map.of("output", output.toString()));
    StringWriter text = new StringWriter();
    SearchJob.Summary s = new SearchJob(config, new PrintWriter(text, true)).run(spark);
    console = text.toString();
    return s;
  }

  static Map<String, ResultRow> rows(Path output) throws IOException {
    return ResultStore.open(output.toString(), spark.sparkContext().hadoopConfiguration()).byId();
  }

  @Test
  void aFailingTrialGivesAnErrorRowAndTheSearchCompletes() throws Exception {
    Map<String, ResultRow> rows = rows(out);
    ResultRow failed = rows.get(blockedTrial);
    assertFalse(failed.ok());
    assertTrue(failed.error().startsWith("could not save the trial's model"), failed.error());
    assertEquals(1, rows.values().stream().filter(r -> !r.ok()).count());
    assertEquals(1, summary.errors());
    // 2 criteria x (2 uniform + 1 random) first-round plans, up to 4 evolved, then a promoted half at 64 images.
    long first = rows.values().stream().filter(r -> r.budget() == 32 && !r.origin().equals("evolution")).count();
    assertEquals(6, first);
    long evolved = rows.values().stream().filter(r -> r.origin().equals("evolution") && r.budget() == 32).count();
    assertTrue(evolved >= 1 && evolved <= 4, "one generation of 4 offspring, duplicates run once: " + evolved);
    for (ResultRow r : rows.values()) {
      Map<String, Object> v = r.asMap();
      assertEquals(0, v.get("attempt"), "first attempts in local mode");
      assertEquals("driver", v.get("executor"));
      assertEquals(r.plan().seed(42), r.seed(), "the seed derives from the search seed and the plan");
    }
    long promoted = rows.values().stream().filter(r -> r.budget() == 64).count();
    long okAt32 = rows.values().stream().filter(r -> r.budget() == 32 && r.ok()).count();
    assertEquals((long) Math.ceil(0.5 * okAt32), promoted);

    // The front: every row marked pareto is at the last budget, non-dominated, and has its model and test accuracy.
    List<ResultRow> front = rows.values().stream().filter(ResultRow::pareto).toList();
    assertEquals(summary.front().size(), front.size());
    assertFalse(front.isEmpty());
    for (ResultRow r : front) {
      assertEquals(64, r.budget());
      assertTrue(r.testAccuracy() >= 0 && r.testAccuracy() <= 1);
      for (ResultRow o : rows.values()) {
        assertFalse(o.ok() && o.budget() == 64 && o.point().dominates(r.point()), o + " dominates " + r);
      }
      Path model = out.resolve("pareto").resolve(r.planId() + ".zip");
      TrialProvenance provenance = ModelFiles.readProvenance(model, TrialProvenance.class);
      assertEquals(r.planId(), provenance.planId());
      assertEquals(r.plan().ratios(), provenance.ratios());
      assertEquals(r.params(), ModelFiles.loadGraph(model).numParams());
      assertTrue(Files.readString(out.resolve("pareto").resolve(r.planId() + ".json")).contains(r.trialId()));
    }
    assertTrue(console.contains("Pareto front (" + front.size() + " plans"), console);
  }

  @Test
  void theThreeTablesReadBackEqual() throws Exception {
    StructType schema = ResultRow.schema(LAYERS);
    List<Row> parquet = sorted(spark.read().parquet(out.resolve(ResultStore.PARQUET).toString()).collectAsList());
    List<Row> csv = sorted(spark.read().option("header", "true").option("escape", "\"").schema(schema)
        .csv(out.resolve(ResultStore.CSV).toString()).collectAsList());
    assertEquals(parquet, csv);
    List<Row> expected = sorted(rows(out).values().stream().map(r -> org.apache.spark.sql.RowFactory.create(r.values(LAYERS))).toList());
    assertEquals(expected, parquet);
    assertEquals(schema, spark.read().parquet(out.resolve(ResultStore.PARQUET).toString()).schema());

    // JSON lines hold the fixed columns (the per-layer ratio columns are derived from "ratios").
    String[] fixed = Arrays.copyOf(schema.fieldNames(), schema.fieldNames().length - LAYERS.size());
    StructType fixedSchema = new StructType(Arrays.stream(fixed).map(f -> schema.apply(f)).toArray(org.apache.spark.sql.types.StructField[]::new));
    List<Row> json = sorted(spark.read().schema(fixedSchema).json(out.resolve(ResultStore.JSONL).toString()).collectAsList());
    List<Row> parquetFixed = sorted(spark.read().parquet(out.resolve(ResultStore.PARQUET).toString())
        .select(fixed[0], Arrays.copyOfRange(fixed, 1, fixed.length)).collectAsList());
    assertEquals(parquetFixed, json);
  }

  @Test
  void runningAgainResumesWithoutDuplicatesAndRetriesTheFailedTrial() throws Exception {
    Path again = dir.resolve("again");
    copy(out, again);
    deleteTree(again.resolve("trials").resolve(blockedTrial + ".zip"));
    Map<String, ResultRow> before = rows(again);

    run(again);

    Map<String, ResultRow> after = rows(again);
    List<String> lines = Files.readAllLines(again.resolve(ResultStore.JSONL));
    Set<String> ids = new HashSet<>();
    lines.forEach(l -> assertTrue(ids.add(ResultRow.fromJson(l, "line").trialId()), "duplicate row: " + l));
    assertTrue(after.keySet().containsAll(before.keySet()), "a resumed run loses no row");
    assertTrue(after.get(blockedTrial).ok(), "the failed trial ran again");
    assertTrue(console.contains("already done, skipped"), console);
    for (ResultRow r : before.values()) {
      if (r.ok()) {
        ResultRow now = after.get(r.trialId());
        assertEquals(r.asMap().get("started_at"), now.asMap().get("started_at"), "done trials are not run again: " + r.trialId());
        assertEquals(r.accuracy(), now.accuracy());
      }
    }
  }

  @Test
  void badLayerNamesAndMissingDataFailBeforeAnyTrial() throws Exception {
    Path bad = dir.resolve("bad");
    var layers = SearchConfig.parse(SearchFixture.config(dir, Map.of("space.layers", "[stem, nope]")),
        Map.of("output", bad.toString()));
    var e = assertThrows(IllegalArgumentException.class,
        () -> new SearchJob(layers, new PrintWriter(new StringWriter())).run(spark));
    assertTrue(e.getMessage().startsWith("search.space.layers names 'nope', which is not the root of a prunable"
        + " group"), e.getMessage());
    assertTrue(e.getMessage().contains("choose among [stem, block1_conv1, down, block2_conv1, dense]"), e.getMessage());
    assertFalse(Files.exists(bad.resolve(ResultStore.JSONL)));

    var noData = SearchConfig.parse(SearchFixture.config(dir, Map.of("data", "\"" + dir.resolve("nowhere") + "\"")),
        Map.of("output", bad.toString()));
    var missing = assertThrows(java.nio.file.NoSuchFileException.class,
        () -> new SearchJob(noData, new PrintWriter(new StringWriter())).run(spark));
    assertTrue(missing.getMessage().contains("the data set (search.data) does not exist"), missing.getMessage());
  }

  /** Rows by trial id (the second column). */
  private static List<Row> sorted(List<Row> rows) {
    return rows.stream().sorted(Comparator.comparing((Row r) -> r.getString(1))).toList();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
