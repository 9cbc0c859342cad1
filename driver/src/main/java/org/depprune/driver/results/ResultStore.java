package org.depprune.driver.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results of a search, keyed by trial id, in its output directory (any Hadoop file system).
 *
 * <p>{@value #JSONL} is the record: every finished trial appends its row as one line, so recording
 * a row costs the same at the 10,000th trial as at the first, and a crash loses no finished row.
 * A later line for the same trial (a retried trial, the front's marks) replaces an earlier one.
 * A kill in the middle of an append can leave a torn last line: the reader drops it with a warning
 * (that trial runs again) and rewrites the file without it. {@link #compact} rewrites the file with
 * one line per trial, through {@link HadoopFiles#replace}, so it never loses a row. On a file
 * system that cannot append (S3A), every put rewrites the file that way instead.
 *
 * <p>{@link #writeTables} adds the CSV ({@link Csv}) and Parquet copies.
 */
public final class ResultStore {
  public static final String JSONL = "results.jsonl";
  public static final String CSV = "results.csv";
  public static final String PARQUET = "results.parquet";

  private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path dir;
  private final LinkedHashMap<String, ResultRow> rows = new LinkedHashMap<>();
  private boolean appendable = true;

  private ResultStore(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /** Opens (creating if needed) the store in {@code dir}, reading the rows already there. */
  public static ResultStore open(String dir, Configuration hadoop) throws IOException {
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(hadoop);
    fs.setWriteChecksum(false);
    fs.mkdirs(path);
    ResultStore store = new ResultStore(fs, fs.makeQualified(path));
    Path file = store.file(JSONL);
    HadoopFiles.recover(fs, file);
    if (fs.exists(file)) {
      if (store.read(file)) {
        store.compact();
      }
    }
    return store;
  }

  /** Reads every row of {@code file}; true when it dropped a torn last line. */
  private boolean read(Path file) throws IOException {
    String text;
    try (InputStream in = fs.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String[] lines = text.split("\n", -1);
    // Every complete line ends with '\n', so the last piece is empty unless an append was cut short.
    int complete = lines.length - 1;
    for (int n = 0; n < complete; n++) {
      if (!lines[n].isBlank()) {
        ResultRow row = ResultColumns.read(lines[n], file + ":" + (n + 1));
        rows.put(row.trialId(), row);
      }
    }
    String last = lines[complete];
    if (last.isBlank()) {
      return false;
    }
    try {
      ResultRow row = ResultColumns.read(last, file + ":" + lines.length);
      rows.put(row.trialId(), row);
    } catch (IllegalArgumentException e) {
      LOG.warn("{}: dropped its torn last line (a write cut short by a kill; that trial runs again): {}",
          file, e.getMessage());
    }
    return true;
  }

  /**
   * This store, rewriting {@value #JSONL} at every put as it does on a file system that cannot
   * append (what {@code depprune bench-results} compares appending with).
   */
  public synchronized ResultStore rewritingEveryPut() {
    appendable = false;
    return this;
  }

  public Path dir() {
    return dir;
  }

  public FileSystem fs() {
    return fs;
  }

  /** The path of {@code name} in the output directory. */
  public Path file(String name) {
    return new Path(dir, name);
  }

  /** The file that names the config of a search that stopped at its recipe check. */
  public static final String STOPPED_AT_CHECK = "stopped-at-recipe-check.txt";

  /**
   * A directory holds one search: refuses to go on with {@code configHash} when it holds rows of
   * another config, whose results would not compare with this one's. The one exception is a search
   * that stopped at its recipe check ({@value #STOPPED_AT_CHECK} names its config): its rows are
   * dropped, so the same command with a changed recipe runs in the same directory.
   */
  public synchronized void requireSearch(String configHash) throws IOException {
    List<ResultRow> other = rows.values().stream().filter(r -> !r.configHash().equals(configHash)).toList();
    if (other.isEmpty()) {
      return;
    }
    String stopped = readText(STOPPED_AT_CHECK).map(String::strip).orElse("");
    if (other.stream().allMatch(r -> r.configHash().equals(stopped))) {
      LOG.info("{}: dropping {} row(s) of config {}, which stopped at its recipe check", dir, other.size(), stopped);
      other.forEach(r -> rows.remove(r.trialId()));
      compact();
      fs.delete(file(STOPPED_AT_CHECK), false);
      return;
    }
    Set<String> hashes = new HashSet<>();
    other.forEach(r -> hashes.add(r.configHash()));
    throw new IllegalArgumentException(dir + " holds results of another search config (hash " + hashes
        + ", this config's is " + configHash + "): give a new --out, or run the config that wrote it to resume");
  }

  public synchronized Optional<ResultRow> get(String trialId) {
    return Optional.ofNullable(rows.get(trialId));
  }

  /** Every row, one per trial, in the order trials were first recorded. */
  public synchronized List<ResultRow> rows() {
    return new ArrayList<>(rows.values());
  }

  /** Adds or replaces the row of its trial and records it. */
  public synchronized void put(ResultRow row) throws IOException {
    rows.put(row.trialId(), row);
    record(List.of(row));
  }

  /** Adds or replaces several rows at once (the front's marks). */
  public synchronized void putAll(List<ResultRow> updated) throws IOException {
    updated.forEach(r -> rows.put(r.trialId(), r));
    record(updated);
  }

  private void record(List<ResultRow> recorded) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (ResultRow row : recorded) {
      lines.append(JSON.writeValueAsString(row)).append('\n');
    }
    if (appendable && HadoopFiles.append(fs, file(JSONL), lines.toString().getBytes(StandardCharsets.UTF_8))) {
      return;
    }
    if (appendable) {
      LOG.warn("{} cannot append: {} is rewritten after every trial instead", fs.getScheme(), file(JSONL));
      appendable = false;
    }
    compact();
  }

  /** Rewrites {@value #JSONL} with one line per trial (atomically: no row is lost). */
  public synchronized void compact() throws IOException {
    List<ResultRow> all = new ArrayList<>(rows.values());
    writeAtomically(JSONL, out -> {
      for (ResultRow row : all) {
        out.write(JSON.writeValueAsString(row));
        out.write('\n');
      }
    });
  }

  /**
   * Compacts {@value #JSONL} and writes the same rows as CSV and Parquet, with a
   * {@code ratio_<layer>} column per searched layer.
   */
  public synchronized void writeTables(SparkSession spark, List<String> layers) throws IOException {
    compact();
    StructType schema = ResultColumns.schema(layers);
    List<Object[]> values = rows.values().stream().map(r -> ResultColumns.values(r, layers)).toList();
    writeAtomically(CSV, out -> Csv.write(out, List.of(schema.fieldNames()),
        values.stream().map(java.util.Arrays::asList).toList()));
    List<Row> sparkRows = values.stream().map(RowFactory::create).toList();
    spark.createDataFrame(sparkRows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(file(PARQUET).toString());
  }

  /** What goes into a text file. */
  public interface Text {
    void write(Writer out) throws IOException;
  }

  /** Writes {@code name} in the output directory whole ({@link HadoopFiles#replace}). */
  public void writeAtomically(String name, Text content) throws IOException {
    HadoopFiles.replace(fs, file(name), out -> {
      Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      content.write(writer);
      writer.flush();
    });
  }

  /** The text of {@code name} in the output directory, if it is there. */
  public Optional<String> readText(String name) throws IOException {
    Path file = file(name);
    HadoopFiles.recover(fs, file);
    if (!fs.exists(file)) {
      return Optional.empty();
    }
    try (InputStream in = fs.open(file)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Copies {@code source} (any path of this file system) to {@code name} in the output directory. */
  public void copy(Path source, String name) throws IOException {
    try (InputStream in = fs.open(source); OutputStream out = fs.create(file(name), true)) {
      in.transferTo(out);
    }
  }

  /** Rows by trial id, for tests. */
  public synchronized Map<String, ResultRow> byId() {
    return Map.copyOf(rows);
  }
}
