package org.depprune.driver.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.depprune.plan.Plan;
import org.depprune.plan.TrialResult;

/**
 * One row of the results table: a trial's plan, metrics (or error), timings, where it ran, and
 * its provenance. The same columns go to JSON lines, CSV and Parquet; {@link #schema(List)} gives
 * their types. Rows carry {@value #FORMAT} in their {@code format} column.
 */
final class ResultRow {
  /** The results format this code writes and reads. */
  static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fixed columns and their types; per-layer {@code ratio_<layer>} columns follow {@code ratios}. */
  private static final Map<String, DataType> COLUMNS = columns();

  private static Map<String, DataType> columns() {
    Map<String, DataType> c = new LinkedHashMap<>();
    c.put("format", DataTypes.IntegerType);
    c.put("trial_id", DataTypes.StringType);
    c.put("plan_id", DataTypes.StringType);
    c.put("status", DataTypes.StringType);
    c.put("error", DataTypes.StringType);
    c.put("criterion", DataTypes.StringType);
    c.put("origin", DataTypes.StringType);
    c.put("round", DataTypes.IntegerType);
    c.put("budget", DataTypes.IntegerType);
    c.put("ratios", DataTypes.StringType);
    c.put("mean_ratio", DataTypes.DoubleType);
    c.put("val_accuracy", DataTypes.DoubleType);
    c.put("macs", DataTypes.LongType);
    c.put("macs_share", DataTypes.DoubleType);
    c.put("params", DataTypes.LongType);
    c.put("latency_ms", DataTypes.DoubleType);
    c.put("pareto", DataTypes.BooleanType);
    c.put("test_accuracy", DataTypes.DoubleType);
    c.put("seed", DataTypes.LongType);
    c.put("partition", DataTypes.IntegerType);
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
    return Collections.unmodifiableMap(c);
  }

  /** Where and when a task ran. */
  record Execution(int attempt, String executor, String host, String startedAt, String finishedAt)
      implements java.io.Serializable {}

  /** What every row of a search shares. */
  record Provenance(String configHash, long searchSeed, Map<String, String> versions) implements java.io.Serializable {}

  private final LinkedHashMap<String, Object> values;

  private ResultRow(LinkedHashMap<String, Object> values) {
    this.values = values;
  }

  static ResultRow of(TrialResult result, Execution execution, Provenance provenance) {
    var trial = result.trial();
    Plan plan = trial.plan();
    LinkedHashMap<String, Object> v = new LinkedHashMap<>();
    v.put("format", FORMAT);
    v.put("trial_id", trial.id());
    v.put("plan_id", plan.id());
    v.put("status", result.ok() ? "ok" : "error");
    v.put("error", result.error());
    v.put("criterion", plan.criterion());
    v.put("origin", trial.origin());
    v.put("round", trial.round());
    v.put("budget", trial.budget());
    v.put("ratios", json(plan.ratios()));
    v.put("mean_ratio", plan.ratios().values().stream().mapToDouble(Double::doubleValue).average().orElse(0));
    var m = result.metrics();
    v.put("val_accuracy", m == null ? null : m.accuracy());
    v.put("macs", m == null ? null : m.macs());
    v.put("macs_share", m == null ? null : m.macsShare());
    v.put("params", m == null ? null : m.params());
    v.put("latency_ms", m == null ? null : m.latencyMillis());
    v.put("pareto", false);
    v.put("test_accuracy", null);
    v.put("seed", trial.seed());
    v.put("partition", trial.partition());
    v.put("prune_s", result.timings().prune());
    v.put("finetune_s", result.timings().finetune());
    v.put("evaluate_s", result.timings().evaluate());
    v.put("task_s", result.timings().total());
    v.put("attempt", execution.attempt());
    v.put("executor", execution.executor());
    v.put("host", execution.host());
    v.put("started_at", execution.startedAt());
    v.put("finished_at", execution.finishedAt());
    v.put("config_hash", provenance.configHash());
    v.put("search_seed", provenance.searchSeed());
    v.put("depprune_version", provenance.versions().get("depprune"));
    v.put("dl4j_version", provenance.versions().get("dl4j"));
    v.put("spark_version", provenance.versions().get("spark"));
    v.put("java_version", provenance.versions().get("java"));
    return new ResultRow(v);
  }

  /** Reads a row written by {@link #toJson()}; {@code where} names the line for errors. */
  static ResultRow fromJson(String line, String where) {
    LinkedHashMap<String, Object> v;
    try {
      v = JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not a results row (" + e.getOriginalMessage() + ")", e);
    }
    Object format = v.get("format");
    if (!(format instanceof Integer f) || f != FORMAT) {
      throw new IllegalArgumentException(where + ": results format " + format + " is not supported (this DepPrune"
          + " reads format " + FORMAT + "); use a new output directory or the DepPrune version that wrote it");
    }
    for (var e : COLUMNS.entrySet()) {
      v.computeIfPresent(e.getKey(), (k, x) -> coerce(x, e.getValue()));
    }
    return new ResultRow(v);
  }

  private static Object coerce(Object x, DataType type) {
    if (x instanceof Number n) {
      if (type == DataTypes.LongType) {
        return n.longValue();
      }
      if (type == DataTypes.DoubleType) {
        return n.doubleValue();
      }
      if (type == DataTypes.IntegerType) {
        return n.intValue();
      }
    }
    return x;
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The Spark schema of a search over {@code layers}: the fixed columns, then one ratio column per layer. */
  static StructType schema(List<String> layers) {
    List<StructField> fields = new ArrayList<>();
    COLUMNS.forEach((name, type) -> fields.add(DataTypes.createStructField(name, type, true)));
    for (String layer : layers) {
      fields.add(DataTypes.createStructField("ratio_" + layer, DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(fields);
  }

  /** The values in {@link #schema(List)}'s order. */
  Object[] values(List<String> layers) {
    List<Object> out = new ArrayList<>();
    COLUMNS.keySet().forEach(name -> out.add(values.get(name)));
    Map<String, Double> ratios = plan().ratios();
    for (String layer : layers) {
      out.add(ratios.get(layer));
    }
    return out.toArray();
  }

  String trialId() {
    return (String) values.get("trial_id");
  }

  String planId() {
    return (String) values.get("plan_id");
  }

  boolean ok() {
    return "ok".equals(values.get("status"));
  }

  String error() {
    return (String) values.get("error");
  }

  String configHash() {
    return (String) values.get("config_hash");
  }

  /** The row's columns and values (no per-layer ratio columns), in column order. */
  Map<String, Object> asMap() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  String origin() {
    return (String) values.get("origin");
  }

  int round() {
    return (Integer) values.get("round");
  }

  int budget() {
    return (Integer) values.get("budget");
  }

  double accuracy() {
    return (Double) values.get("val_accuracy");
  }

  double macsShare() {
    return (Double) values.get("macs_share");
  }

  long params() {
    return (Long) values.get("params");
  }

  double latencyMillis() {
    return (Double) values.get("latency_ms");
  }

  double taskSeconds() {
    return (Double) values.get("task_s");
  }

  long seed() {
    return (Long) values.get("seed");
  }

  Double testAccuracy() {
    return (Double) values.get("test_accuracy");
  }

  boolean pareto() {
    return Boolean.TRUE.equals(values.get("pareto"));
  }

  Plan plan() {
    try {
      TreeMap<String, Double> ratios = JSON.readValue((String) values.get("ratios"), new TypeReference<TreeMap<String, Double>>() {});
      return new Plan((String) values.get("criterion"), ratios);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("row " + trialId() + " has unreadable ratios", e);
    }
  }

  Pareto.Point point() {
    return new Pareto.Point(accuracy(), macsShare());
  }

  /** This row marked on (or off) the final front, with its test accuracy (null: not measured). */
  ResultRow withPareto(boolean pareto, Double testAccuracy) {
    LinkedHashMap<String, Object> v = new LinkedHashMap<>(values);
    v.put("pareto", pareto);
    v.put("test_accuracy", testAccuracy);
    return new ResultRow(v);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResultRow r && r.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
