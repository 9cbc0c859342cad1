package org.depprune.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.depprune.driver.results.HadoopFiles;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.testing.RowsForTests;
import org.depprune.driver.testing.S3Server;
import org.depprune.driver.testing.SharedSparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data and results on object storage, as on a cloud cluster: a {@code local[2]} session and the
 * results store reach an S3-compatible server in this JVM through Hadoop's S3A connector
 * ({@code s3a://}, hadoop-aws at the Hadoop version Spark ships). S3 has no append and no atomic
 * rename: the store must still keep every row and resume.
 */
class S3ObjectStoreIT extends SharedSparkSession {
  private static final int ROWS = 1_000;
  private static final int PIXELS = 784;

  private static S3Server s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = new S3Server("depprune-it");
    s3.configure(spark);
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  private static FileSystem fs(String key) throws IOException {
    FileSystem fs = new Path(s3.uri(key)).getFileSystem(spark.sparkContext().hadoopConfiguration());
    assertTrue(fs instanceof S3AFileSystem, fs.getClass().getName());
    return fs;
  }

  @Test
  void aTrainingSetWrittenAsParquetReadsBackRowForRow() {
    // Made in the tasks (no 1.6 MB local relation to ship), each pixel a function of id and index.
    Dataset<Row> train = spark.range(0, ROWS, 1, 2).selectExpr(
        "id",
        "cast(id % 10 as int) as label",
        "transform(sequence(0, " + (PIXELS - 1) + "), p -> cast(((id * 31 + p * 7) % 256) / 255D as float))"
            + " as features");
    String path = s3.uri("data/train.parquet");
    train.write().parquet(path);

    Dataset<Row> read = spark.read().parquet(path);
    assertEquals(train.schema().simpleString(), read.schema().simpleString());
    List<Row> back = new ArrayList<>(read.collectAsList());
    back.sort(Comparator.comparingLong(r -> r.getLong(0)));
    assertEquals(ROWS, back.size());
    for (int i = 0; i < ROWS; i++) {
      Row row = back.get(i);
      assertEquals(i, row.getLong(0));
      assertEquals(i % 10, row.getInt(1));
      List<Float> features = row.getList(2);
      float[] values = new float[features.size()];
      for (int p = 0; p < values.length; p++) {
        values[p] = features.get(p);
      }
      assertArrayEquals(features(i), values, "features of row " + i);
    }
  }

  @Test
  void theSparkHadoopSettingsReachTheConfigurationsSparkMakes() {
    SparkConf conf = new SparkConf(false);
    s3.sparkSettings().forEach(conf::set);
    Configuration hadoop = SparkHadoopUtil.get().newConfiguration(conf);
    s3.hadoopSettings().forEach((key, value) -> assertEquals(value, hadoop.get(key), key));
  }

  @Test
  void aReplaceWritesTheFileWholeAndLeavesNothingBeside() throws Exception {
    FileSystem fs = fs("files/");
    Path target = new Path(s3.uri("files/plan.json"));
    HadoopFiles.replace(fs, target, out -> out.write(bytes("old\n")));
    HadoopFiles.replace(fs, target, out -> out.write(bytes("new\n")));
    assertEquals("new\n", read(fs, target));
    assertEquals(List.of("plan.json"), names(fs, target.getParent()), "no temporary or previous file");
  }

  @Test
  void recoverPutsBackTheVersionThatAReplaceMovedAside() throws Exception {
    FileSystem fs = fs("recover/");
    Path target = new Path(s3.uri("recover/results.jsonl"));
    // What a kill between the two renames of a replace leaves: the old file moved aside, no target.
    HadoopFiles.replace(fs, new Path(s3.uri("recover/.results.jsonl.previous")), out -> out.write(bytes("old\n")));

    assertTrue(HadoopFiles.recover(fs, target));
    assertEquals("old\n", read(fs, target));
    assertEquals(List.of("results.jsonl"), names(fs, target.getParent()));
    assertFalse(HadoopFiles.recover(fs, target), "nothing more to put back");
  }

  @Test
  void appendCreatesTheFileButCannotAddToIt() throws Exception {
    FileSystem fs = fs("append/");
    Path target = new Path(s3.uri("append/results.jsonl"));
    assertTrue(HadoopFiles.append(fs, target, bytes("a\n")), "a missing file is created");
    assertFalse(HadoopFiles.append(fs, target, bytes("b\n")), "S3A has no append");
    assertEquals("a\n", read(fs, target), "and the refused append wrote nothing");
  }

  @Test
  void aResultStoreKeepsEveryRowAndResumes() throws Exception {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    String dir = s3.uri("out");
    ResultRow a = RowsForTests.row(0.8, 0.5);
    ResultRow b = RowsForTests.row(0.7, 0.4);
    ResultRow c = RowsForTests.row(0.6, 0.3);

    ResultStore store = ResultStore.open(dir, hadoop);
    store.put(a);
    store.put(b);
    store.put(a.withFront(true, 0.79));
    store.writeAtomically("notes.txt", out -> out.write("first\n"));
    store.writeAtomically("notes.txt", out -> out.write("second\n"));

    FileSystem fs = store.fs();
    assertTrue(fs instanceof S3AFileSystem, fs.getClass().getName());
    String jsonl = read(fs, store.file(ResultStore.JSONL));
    assertEquals(2, jsonl.lines().count(), "rewritten whole at each put: one line per trial\n" + jsonl);
    assertEquals(List.of("notes.txt", ResultStore.JSONL), names(fs, store.dir()));
    assertEquals("second\n", store.readText("notes.txt").orElseThrow());

    ResultStore resumed = ResultStore.open(dir, hadoop);
    assertEquals(Map.of(a.trialId(), a.withFront(true, 0.79), b.trialId(), b), resumed.byId(),
        "a resumed store sees the earlier rows");
    resumed.put(c);
    resumed.writeTables(spark, List.of("layer"));

    assertEquals(Map.of(a.trialId(), a.withFront(true, 0.79), b.trialId(), b, c.trialId(), c),
        ResultStore.open(dir, hadoop).byId());
    String csv = resumed.readText(ResultStore.CSV).orElseThrow();
    assertEquals(4, csv.lines().count(), "a header and three rows\n" + csv);
    assertEquals(3, spark.read().parquet(resumed.file(ResultStore.PARQUET).toString()).count());
  }

  private static float[] features(long id) {
    float[] f = new float[PIXELS];
    for (int p = 0; p < PIXELS; p++) {
      f[p] = (float) (((id * 31 + p * 7) % 256) / 255.0);
    }
    return f;
  }

  private static String read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> names(FileSystem fs, Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus status : fs.listStatus(dir)) {
      names.add(status.getPath().getName());
    }
    names.sort(null);
    return names;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSearchReadsItsModelAndDataFromS3AndWritesAndResumesItsResultsThere() throws Exception {
    // Fashion-MNIST images as a Parquet table and a model without provenance, both in the bucket
    var images = org.depprune.driver.testing.DataFixtures.fashion("train", 600);
    String data = s3.uri("search/train.parquet");
    org.depprune.driver.testing.DataFixtures.writeParquet(spark, images, data);
    var model = new java.io.ByteArrayOutputStream();
    org.deeplearning4j.util.ModelSerializer.writeModel(org.depprune.model.BaseModel.create(
        new org.depprune.model.BaseModel.Spec(4, 16, 10, 11L, 2e-3, 0.8)), model, false);
    try (var out = fs("search").create(new Path(s3.uri("search/cnn.zip")))) {
      out.write(model.toByteArray());
    }
    String output = s3.uri("search/out");
    String config = "search {\n base-model = \"" + s3.uri("search/cnn.zip") + "\"\n"
        + " criteria = [magnitude]\n uniform.ratios = [0.5]\n random.plans-per-criterion = 1\n"
        + " evolution.generations = 0\n halving { budgets = [32], promote = 1.0 }\n partitions = 2\n"
        + " finetune.batch-size = 16\n calibration { batches = 1, batch-size = 16 }\n"
        + " latency { batch-size = 2, warmup = 0, runs = 1 }\n finetune.guard = off\n"
        + " data { format = parquet, train = \"" + data + "\", columns { id = id, image = image } }\n}\n";
    var console = new java.io.StringWriter();
    var summary = new org.depprune.driver.search.SearchJob(org.depprune.driver.config.SearchConfig.parse(config,
        Map.of("output", output)), new java.io.PrintWriter(console, true)).run(spark);
    assertEquals(0, summary.errors(), console.toString());
    ResultStore store = ResultStore.open(output, spark.sparkContext().hadoopConfiguration());
    assertEquals(2, store.rows().size());
    for (ResultRow row : store.rows()) {
      assertTrue(fs("search").exists(new Path(output + "/trials/" + row.trialId() + ".zip")), row.trialId());
    }
    assertTrue(fs("search").exists(new Path(output + "/data.json")));
    assertTrue(fs("search").exists(new Path(output + "/report.html")));

    // run again on the same output: every trial is found done, none runs again
    var again = new java.io.StringWriter();
    new org.depprune.driver.search.SearchJob(org.depprune.driver.config.SearchConfig.parse(config,
        Map.of("output", output)), new java.io.PrintWriter(again, true)).run(spark);
    assertEquals(store.rows().stream().map(r -> r.execution().startedAt()).sorted().toList(),
        ResultStore.open(output, spark.sparkContext().hadoopConfiguration()).rows().stream()
            .map(r -> r.execution().startedAt()).sorted().toList(), "the resumed search reran nothing");
  }
}
