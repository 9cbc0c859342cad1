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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.ResultColumns;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.RoundStats;
import org.depprune.driver.results.SearchSummary;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.driver.testing.SharedSparkSession;
import org.depprune.model.ModelFiles;
import org.depprune.trial.Plan;
import org.depprune.trial.TrialProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small real search on a {@code local[2]} session: one of its trials cannot save its model
 * (its model path is blocked by a directory), which must give an error row while the search
 * completes; the rounds, the front, the tables and a resumed run are checked apart.
 */
class SearchJobIT extends SharedSparkSession {
  static final List<String> LAYERS = List.of("stem", "block1_conv1", "down", "block2_conv1", "dense");

  @TempDir static Path dir;
  static Path out;
  static String blockedTrial;
  static SearchSummary summary;
  /** The first run's console (later tests run the search again, in other directories). */
  static String firstConsole;
  static String console;
  static String driverLog;

  @BeforeAll
  static void search() throws Exception {
    SearchFixture.write(dir);
    out = dir.resolve("out");
    // A last-round trial (the only ones that save their model): the least pruned uniform plan, which
    // the fixture's first round promotes.
    blockedTrial = Plan.uniform("magnitude", LAYERS, 0.25).id() + "-b64";
    Path blocker = Files.createDirectories(out.resolve("trials").resolve(blockedTrial + ".zip"));
    Files.writeString(blocker.resolve("in-the-way"), "a directory where the trial's model should go");
    StringWriter log = new StringWriter();
    String appender = captureLog(SearchRounds.class.getName(), log);
    try {
      summary = run(out);
    } finally {
      releaseLog(SearchRounds.class.getName(), appender);
    }
    driverLog = log.toString();
    firstConsole = console;
  }

  static SearchSummary run(Path output) throws Exception {
    SearchConfig config = SearchConfig.parse(SearchFixture.config(dir, Map.of()), Map.of("output", output.toString()));
    StringWriter text = new StringWriter();
    SearchSummary s = new SearchJob(config, new PrintWriter(text, true)).run(spark);
    console = text.toString();
    return s;
  }

  static Map<String, ResultRow> rows(Path output) throws IOException {
    return ResultStore.open(output.toString(), spark.sparkContext().hadoopConfiguration()).byId();
  }

  @Test
  void aFailingTrialGivesOneErrorRowWithItsTrace() throws Exception {
    Map<String, ResultRow> rows = rows(out);
    ResultRow failed = rows.get(blockedTrial);
    assertFalse(failed.ok());
    assertTrue(failed.error().startsWith("could not save the trial's model"), failed.error());
    assertEquals(List.of(blockedTrial), rows.values().stream().filter(r -> !r.ok()).map(ResultRow::trialId).toList());
    assertEquals(1, summary.errors());

    // The row keeps the trace's first lines; the driver log and trials/<trial>.error.txt keep it whole.
    String[] kept = failed.failure().trace().split("\n");
    assertEquals(ResultRow.TRACE_LINES, kept.length, failed.failure().trace());
    assertTrue(kept[1].trim().startsWith("at "), "a stack frame: " + kept[1]);
    String whole = Files.readString(out.resolve("trials").resolve(blockedTrial + ".error.txt"));
    assertTrue(whole.startsWith(failed.error() + "\n\n"), whole);
    assertTrue(whole.contains(failed.failure().trace()), "the file holds the row's lines and more");
    assertTrue(whole.split("\n").length > ResultRow.TRACE_LINES + 2, whole);
    assertTrue(driverLog.contains("trial " + blockedTrial + " failed: " + failed.error()), driverLog);
    assertTrue(driverLog.contains(failed.failure().trace()), driverLog);
  }

  @Test
  void aScreeningTrialSavesNoModelAndTheFrontsModelsAreThereAndLoad() throws Exception {
    Map<String, ResultRow> rows = rows(out);
    for (ResultRow r : rows.values()) {
      boolean saved = Files.exists(out.resolve("trials").resolve(r.trialId() + ".zip"));
      if (r.budget() == 32) {
        assertFalse(saved, r.trialId() + ": a first-round trial left a model");
      }
    }
    assertFalse(summary.front().isEmpty());
    for (ResultRow r : summary.front()) {
      Path model = out.resolve("pareto").resolve(r.planId() + ".zip");
      assertEquals(r.params(), org.depprune.model.ModelFiles.load(model).numParams(), r.trialId());
    }
  }

  @Test
  void pruneReCreatesAScreeningTrialsModelFromItsPlan() throws Exception {
    ResultRow screened = rows(out).values().stream().filter(r -> r.ok() && r.budget() == 32)
        .sorted(java.util.Comparator.comparing(ResultRow::trialId)).findFirst().orElseThrow();
    Path copy = dir.resolve("replayed");
    copy(out, copy);
    Path file = dir.resolve("replayed.zip");
    var replayed = TrialReplay.run(spark, copy.toString(), screened.trialId(), file, new PrintWriter(new StringWriter()));
    assertEquals(screened.accuracy(), replayed.accuracy(), "the same plan, seed and data give the same model");
    assertEquals(screened.params(), org.depprune.model.ModelFiles.load(file).numParams());
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TrialReplay.run(spark, copy.toString(), "nosuchplan", file, new PrintWriter(new StringWriter())));
    assertTrue(e.getMessage().contains("no finished trial or plan 'nosuchplan'"), e.getMessage());
  }

  @Test
  void theRoundsRunTheConfiguredTrialsWithThePlansSeeds() throws Exception {
    Map<String, ResultRow> rows = rows(out);
    // 2 criteria x (2 uniform + 1 random) first-round plans.
    assertEquals(6, rows.values().stream().filter(r -> r.budget() == 32 && !r.origin().equals("evolution")).count());
    // The evolution's offspring: as many rows as the round ran trials (duplicates run once).
    long evolved = rows.values().stream().filter(r -> r.origin().equals("evolution") && r.budget() == 32).count();
    RoundStats evolution = summary.rounds().stream().filter(r -> r.round().equals("evolution")).findFirst().orElseThrow();
    assertEquals(evolution.trials(), evolved);
    // Half of the successful first-budget rows (rounded up) go on to 64 images.
    long okAt32 = rows.values().stream().filter(r -> r.budget() == 32 && r.ok()).count();
    assertEquals((long) Math.ceil(0.5 * okAt32), rows.values().stream().filter(r -> r.budget() == 64).count());
    for (ResultRow r : rows.values()) {
      assertEquals(0, r.execution().attempt(), "first attempts in local mode");
      assertEquals("driver", r.execution().executor());
      assertEquals(r.plan().seed(42), r.seed(), "the seed derives from the search seed and the plan");
    }
  }

  @Test
  void theFrontIsTheNonDominatedLastRoundScoredOnTheTestSet() throws Exception {
    Map<String, ResultRow> rows = rows(out);
    List<ResultRow> front = rows.values().stream().filter(ResultRow::pareto).toList();
    assertEquals(summary.front().stream().map(ResultRow::trialId).sorted().toList(),
        front.stream().map(ResultRow::trialId).sorted().toList());
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
      assertEquals(r.params(), ModelFiles.load(model).numParams());
      assertEquals(r, ResultColumns.read(Files.readString(out.resolve("pareto").resolve(r.planId() + ".json"))
          .replace("\n", ""), "pareto json"));
    }
    assertTrue(firstConsole.contains("Pareto front (" + front.size() + " plans"), firstConsole);
  }

  @Test
  void theThreeTablesReadBackEqual() throws Exception {
    StructType schema = ResultColumns.schema(LAYERS);
    List<Row> parquet = sorted(spark.read().parquet(out.resolve(ResultStore.PARQUET).toString()).collectAsList());
    List<Row> csv = sorted(spark.read().option("header", "true").option("escape", "\"").option("multiLine", "true")
        .schema(schema).csv(out.resolve(ResultStore.CSV).toString()).collectAsList());
    assertEquals(parquet, csv);
    List<Row> expected = sorted(rows(out).values().stream()
        .map(r -> org.apache.spark.sql.RowFactory.create(ResultColumns.values(r, LAYERS))).toList());
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
    lines.forEach(l -> assertTrue(ids.add(ResultColumns.read(l, "line").trialId()), "duplicate row: " + l));
    assertTrue(after.keySet().containsAll(before.keySet()), "a resumed run loses no row");
    assertTrue(after.get(blockedTrial).ok(), "the failed trial ran again");
    assertTrue(console.contains("already done, skipped"), console);
    for (ResultRow r : before.values()) {
      if (r.ok()) {
        ResultRow now = after.get(r.trialId());
        assertEquals(r.execution().startedAt(), now.execution().startedAt(), "done trials are not run again: " + r.trialId());
        assertEquals(r.accuracy(), now.accuracy());
      }
    }
  }

  @Test
  void aResumeAddsItsRoundsToTheEarlierRunsAccounting() throws Exception {
    Path again = dir.resolve("resumed");
    copy(out, again);
    SearchSummary resumed = run(again); // reruns only the failed (still blocked) last-round trial
    Map<String, RoundStats> before = new java.util.TreeMap<>();
    summary.rounds().forEach(r -> before.put(r.round(), r));
    Map<String, RoundStats> after = new java.util.TreeMap<>();
    resumed.rounds().forEach(r -> after.put(r.round(), r));
    assertEquals(before.keySet(), after.keySet());
    assertEquals(before.get("round 1").trials() + 1, after.get("round 1").trials(), "the retried trial adds one");
    assertTrue(after.get("round 1").wallSeconds() > before.get("round 1").wallSeconds());
    for (String round : List.of("round 0", "evolution")) {
      assertEquals(before.get(round), after.get(round), round + ": nothing ran, the earlier run's accounting stays");
    }
    String written = Files.readString(again.resolve("summary.json"));
    assertTrue(written.contains("\"round\" : \"evolution\",\n    \"trials\" : " + before.get("evolution").trials()), written);
    assertTrue(Files.readString(again.resolve("report.html")).contains("evolution " + before.get("evolution").trials()
        + " trials"));
  }

  @Test
  void anotherConfigIsRefusedOnTheSameOutputAndChangesNothing() throws Exception {
    Path other = dir.resolve("other");
    copy(out, other);
    byte[] before = Files.readAllBytes(other.resolve(ResultStore.JSONL));
    SearchConfig seven = SearchConfig.parse(SearchFixture.config(dir, Map.of("seed", "7")),
        Map.of("output", other.toString()));
    var e = assertThrows(IllegalArgumentException.class,
        () -> new SearchJob(seven, new PrintWriter(new StringWriter())).run(spark));
    assertTrue(e.getMessage().contains("holds results of another search config"), e.getMessage());
    assertTrue(e.getMessage().contains("this config's is " + seven.hash()), e.getMessage());
    assertTrue(Arrays.equals(before, Files.readAllBytes(other.resolve(ResultStore.JSONL))), "the rows are untouched");
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
    assertTrue(missing.getMessage().contains("no train-images-idx3-ubyte[.gz] in " + dir.resolve("nowhere")
        + ": set search.data.train to a directory holding the IDX files"), missing.getMessage());
  }

  /** Sends {@code logger}'s events to {@code sink}; returns the appender's name. */
  static String captureLog(String logger, StringWriter sink) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    String name = "test-" + logger;
    WriterAppender appender = WriterAppender.newBuilder().setName(name).setTarget(sink)
        .setLayout(PatternLayout.newBuilder().withPattern("%m%n").build()).build();
    appender.start();
    config.addAppender(appender);
    LoggerConfig loggerConfig = new LoggerConfig(logger, org.apache.logging.log4j.Level.INFO, true);
    loggerConfig.addAppender(appender, null, null);
    config.addLogger(logger, loggerConfig);
    context.updateLoggers();
    return name;
  }

  static void releaseLog(String logger, String appender) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().removeLogger(logger);
    context.getConfiguration().getAppenders().get(appender).stop();
    context.updateLoggers();
  }

  /** Rows by trial id (the second column). */
  private static List<Row> sorted(List<Row> rows) {
    return rows.stream().sorted(Comparator.comparing((Row r) -> r.getString(1))).toList();
  }

  static void copy(Path from, Path to) throws IOException {
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
