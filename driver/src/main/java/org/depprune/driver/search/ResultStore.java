package org.depprune.driver.search;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The results of a search, keyed by trial id, in its output directory (any Hadoop file system).
 * {@value #JSONL} is the record: rewritten (to a temporary file, then renamed) after every
 * finished trial, so a crash loses no finished result, and read back on start, so a search run
 * again on the same directory skips what is done. A trial that runs again replaces its row.
 * {@link #writeTables} adds the CSV and Parquet copies.
 */
final class ResultStore {
  static final String JSONL = "results.jsonl";
  static final String CSV = "results.csv";
  static final String PARQUET = "results.parquet";

  private final FileSystem fs;
  private final Path dir;
  private final LinkedHashMap<String, ResultRow> rows = new LinkedHashMap<>();

  private ResultStore(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /** Opens (creating if needed) the store in {@code dir}, reading the rows already there. */
  static ResultStore open(String dir, Configuration hadoop) throws IOException {
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(hadoop);
    fs.setWriteChecksum(false);
    fs.mkdirs(path);
    ResultStore store = new ResultStore(fs, fs.makeQualified(path));
    Path file = new Path(path, JSONL);
    if (fs.exists(file)) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
        int n = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          n++;
          if (!line.isBlank()) {
            ResultRow row = ResultRow.fromJson(line, file + ":" + n);
            store.rows.put(row.trialId(), row);
          }
        }
      }
    }
    return store;
  }

  Path dir() {
    return dir;
  }

  FileSystem fs() {
    return fs;
  }

  synchronized Optional<ResultRow> get(String trialId) {
    return Optional.ofNullable(rows.get(trialId));
  }

  /** Adds or replaces the row of its trial and rewrites {@value #JSONL}. */
  synchronized void put(ResultRow row) throws IOException {
    rows.put(row.trialId(), row);
    writeJsonLines();
  }

  /** Replaces several rows at once (the final front's marks). */
  synchronized void putAll(List<ResultRow> updated) throws IOException {
    updated.forEach(r -> rows.put(r.trialId(), r));
    writeJsonLines();
  }

  synchronized List<ResultRow> rows() {
    return new ArrayList<>(rows.values());
  }

  private void writeJsonLines() throws IOException {
    writeAtomically(JSONL, out -> {
      for (ResultRow row : rows.values()) {
        out.write(row.toJson());
        out.write('\n');
      }
    });
  }

  /** Writes the CSV and Parquet tables (the JSON lines are always current). */
  synchronized void writeTables(SparkSession spark, List<String> layers) throws IOException {
    StructType schema = ResultRow.schema(layers);
    List<Object[]> values = rows.values().stream().map(r -> r.values(layers)).toList();
    writeAtomically(CSV, out -> {
      out.write(String.join(",", schema.fieldNames()));
      out.write('\n');
      for (Object[] row : values) {
        for (int i = 0; i < row.length; i++) {
          if (i > 0) {
            out.write(',');
          }
          out.write(csv(row[i]));
        }
        out.write('\n');
      }
    });
    List<Row> sparkRows = values.stream().map(RowFactory::create).toList();
    spark.createDataFrame(sparkRows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(new Path(dir, PARQUET).toString());
  }

  /** A CSV field (RFC 4180): empty for null, quoted when it holds a comma, quote or line break. */
  static String csv(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  interface Content {
    void write(Writer out) throws IOException;
  }

  /** Writes {@code name} in the output directory through a temporary file and a rename. */
  void writeAtomically(String name, Content content) throws IOException {
    HadoopFiles.replace(fs, new Path(dir, name), out -> {
      Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      content.write(writer);
      writer.flush();
    });
  }

  /** Rows by trial id, for tests. */
  synchronized Map<String, ResultRow> byId() {
    return Map.copyOf(rows);
  }
}
