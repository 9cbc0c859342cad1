package org.depprune.driver.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.depprune.trial.Plan;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialResult;

/**
 * The columns of the results table and the one mapping between them and a {@link ResultRow}: JSON
 * lines, CSV and Parquet all use it. Rows carry their {@code format}, {@link #FORMAT};
 * a reader refuses any other.
 */
public final class ResultColumns {
  /** The results format this code writes and reads. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fixed columns and their Spark types; per-layer {@code ratio_<layer>} columns follow. */
  private static final Map<String, DataType> COLUMNS = columns();

  private ResultColumns() {}

  private static Map<String, DataType> columns() {
    Map<String, DataType> c = new LinkedHashMap<>();
    c.put("format", DataTypes.IntegerType);
    c.put("trial_id", DataTypes.StringType);
    c.put("plan_id", DataTypes.StringType);
    c.put("status", DataTypes.StringType);
    c.put("error", DataTypes.StringType);
    c.put("error_trace", DataTypes.StringType);
    c.put("criterion", DataTypes.StringType);
    c.put("origin", DataTypes.StringType);
    c.put("round", DataTypes.IntegerType);
    c.put("budget", DataTypes.IntegerType);
    c.put("ratios", DataTypes.StringType);
    c.put("options", DataTypes.StringType);
    c.put("mean_ratio", DataTypes.DoubleType);
    c.put("val_accuracy", DataTypes.DoubleType);
    c.put("val_requested", DataTypes.IntegerType);
    c.put("val_examples", DataTypes.LongType);
    c.put("val_error", DataTypes.DoubleType);
    c.put("macs", DataTypes.LongType);
    c.put("macs_share", DataTypes.DoubleType);
    c.put("params", DataTypes.LongType);
    c.put("latency_ms", DataTypes.DoubleType);
    c.put("latency_alone", DataTypes.BooleanType);
    c.put("pareto", DataTypes.BooleanType);
    c.put("test_accuracy", DataTypes.DoubleType);
    c.put("test_examples", DataTypes.LongType);
    c.put("test_error", DataTypes.DoubleType);
    c.put("seed", DataTypes.LongType);
    c.put("partition", DataTypes.IntegerType);
    c.put("partitions_read", DataTypes.IntegerType);
    c.put("prune_s", DataTypes.DoubleType);
    c.put("finetune_s", DataTypes.DoubleType);
    c.put("evaluate_s", DataTypes.DoubleType);
    c.put("task_s", DataTypes.DoubleType);
    c.put("attempt", DataTypes.IntegerType);
    c.put("executor", DataTypes.StringType);
    c.put("host", DataTypes.StringType);
    c.put("started_at", DataTypes.StringType);
    c.put("finished_at", DataTypes.StringType);
    c.put("config_hash", DataTypes.StringType);
    c.put("search_seed", DataTypes.LongType);
    c.put("depprune_version", DataTypes.StringType);
    c.put("dl4j_version", DataTypes.StringType);
    c.put("spark_version", DataTypes.StringType);
    c.put("java_version", DataTypes.StringType);
    return java.util.Collections.unmodifiableMap(c);
  }

  /** The fixed column names, in order. */
  public static List<String> names() {
    return List.copyOf(COLUMNS.keySet());
  }

  /** {@code row} as its fixed columns, in order (null where a value is absent). */
  static Map<String, Object> of(ResultRow row) {
    Trial trial = row.trial();
    TrialResult.Metrics m = row.metrics();
    TrialResult.Timings t = row.timings();
    Execution e = row.execution();
    SearchProvenance p = row.provenance();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("format", FORMAT);
    v.put("trial_id", trial.id());
    v.put("plan_id", trial.plan().id());
    v.put("status", row.ok() ? "ok" : "error");
    v.put("error", row.ok() ? null : row.failure().message());
    v.put("error_trace", row.ok() ? null : row.failure().trace());
    v.put("criterion", trial.plan().criterion());
    v.put("origin", trial.origin());
    v.put("round", trial.round());
    v.put("budget", trial.budget());
    v.put("ratios", json(trial.plan().ratios()));
    v.put("options", json(trial.plan().options()));
    v.put("mean_ratio", row.meanRatio());
    v.put("val_accuracy", m == null ? null : m.accuracy());
    v.put("val_requested", trial.validationExamples());
    v.put("val_examples", m == null ? null : m.validationExamples());
    v.put("val_error", m == null ? null : finite(row.accuracyError()));
    v.put("macs", m == null ? null : m.macs());
    v.put("macs_share", m == null ? null : m.macsShare());
    v.put("params", m == null ? null : m.params());
    v.put("latency_ms", m == null ? null : m.latencyMillis());
    v.put("latency_alone", m == null ? null : m.latencyAlone());
    v.put("pareto", row.pareto());
    v.put("test_accuracy", row.testAccuracy());
    v.put("test_examples", row.testAccuracy() == null ? null : row.testExamples());
    v.put("test_error", row.testAccuracy() == null ? null : finite(row.testAccuracyError()));
    v.put("seed", trial.seed());
    v.put("partition", trial.partition());
    v.put("partitions_read", trial.partitions());
    v.put("prune_s", t.prune());
    v.put("finetune_s", t.finetune());
    v.put("evaluate_s", t.evaluate());
    v.put("task_s", t.total());
    v.put("attempt", e.attempt());
    v.put("executor", e.executor());
    v.put("host", e.host());
    v.put("started_at", e.startedAt());
    v.put("finished_at", e.finishedAt());
    v.put("config_hash", p.configHash());
    v.put("search_seed", p.searchSeed());
    v.put("depprune_version", p.versions().get("depprune"));
    v.put("dl4j_version", p.versions().get("dl4j"));
    v.put("spark_version", p.versions().get("spark"));
    v.put("java_version", p.versions().get("java"));
    return java.util.Collections.unmodifiableMap(v);
  }

  /** Reads a row from one JSON line; {@code where} names the line for errors. */
  public static ResultRow read(String line, String where) {
    JsonNode v;
    try {
      v = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not a results row (" + e.getOriginalMessage() + ")", e);
    }
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException(where + ": not a results row (not a JSON object)");
    }
    JsonNode format = v.get("format");
    if (format == null || !format.isInt() || format.asInt() != FORMAT) {
      throw new IllegalArgumentException(where + ": results format " + format + " is not supported (this DepPrune"
          + " reads format " + FORMAT + "); use a new output directory or the DepPrune version that wrote it");
    }
    try {
      // Rows written before plans had options have no options column.
      TreeMap<String, String> options = v.hasNonNull("options")
          ? JSON.readValue(v.get("options").asText(), new TypeReference<TreeMap<String, String>>() {}) : new TreeMap<>();
      Plan plan = new Plan(v.get("criterion").asText(), JSON.readValue(v.get("ratios").asText(),
          new TypeReference<TreeMap<String, Double>>() {}), options);
      // Rows written before trials read several partitions or scored a share of the validation set
      // lack partitions_read, val_requested and val_examples: one partition, all, an unknown count.
      long scored = v.path("val_examples").asLong(0);
      Trial trial = new Trial(plan, v.get("origin").asText(), v.get("round").asInt(), v.get("budget").asInt(),
          v.get("seed").asLong(), v.get("partition").asInt(), v.path("partitions_read").asInt(1),
          v.path("val_requested").asInt(0));
      boolean ok = "ok".equals(v.get("status").asText());
      TrialResult.Metrics metrics = ok ? new TrialResult.Metrics(v.get("val_accuracy").asDouble(),
          v.get("macs").asLong(), v.get("macs_share").asDouble(), v.get("params").asLong(),
          v.get("latency_ms").asDouble(), v.path("latency_alone").asBoolean(false), scored) : null;
      TrialResult.Failure failure = ok ? null
          : new TrialResult.Failure(text(v, "error"), text(v, "error_trace") == null ? "" : text(v, "error_trace"));
      var timings = new TrialResult.Timings(v.get("prune_s").asDouble(), v.get("finetune_s").asDouble(),
          v.get("evaluate_s").asDouble(), v.get("task_s").asDouble());
      var execution = new Execution(v.get("attempt").asInt(), text(v, "executor"), text(v, "host"),
          text(v, "started_at"), text(v, "finished_at"));
      Map<String, String> versions = new TreeMap<>();
      for (String name : List.of("depprune", "dl4j", "spark", "java")) {
        String value = text(v, name + "_version");
        if (value != null) {
          versions.put(name, value);
        }
      }
      var provenance = new SearchProvenance(text(v, "config_hash"), v.get("search_seed").asLong(), versions);
      Double test = v.hasNonNull("test_accuracy") ? v.get("test_accuracy").asDouble() : null;
      ResultRow row = new ResultRow(trial, metrics, failure, timings, execution, provenance,
          v.path("pareto").asBoolean(false), test, v.path("test_examples").asLong(0));
      if (!row.trialId().equals(text(v, "trial_id"))) {
        throw new IllegalArgumentException("its trial_id " + text(v, "trial_id") + " is not its plan's and budget's "
            + row.trialId());
      }
      return row;
    } catch (NullPointerException | JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": not a complete results row (" + e.getMessage() + ")", e);
    }
  }

  private static String text(JsonNode v, String name) {
    JsonNode value = v.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** The Spark schema of a search over {@code layers}: the fixed columns, then one ratio column per layer. */
  public static StructType schema(List<String> layers) {
    List<StructField> fields = new ArrayList<>();
    COLUMNS.forEach((name, type) -> fields.add(DataTypes.createStructField(name, type, true)));
    for (String layer : layers) {
      fields.add(DataTypes.createStructField("ratio_" + layer, DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(fields);
  }

  /** {@code row}'s values in {@link #schema(List)}'s order. */
  public static Object[] values(ResultRow row, List<String> layers) {
    List<Object> out = new ArrayList<>(of(row).values());
    Map<String, Double> ratios = row.plan().ratios();
    for (String layer : layers) {
      out.add(ratios.get(layer));
    }
    return out.toArray();
  }

  /** A JSON-safe number: null for NaN (not known). */
  private static Double finite(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
