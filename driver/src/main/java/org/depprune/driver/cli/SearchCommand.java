package org.depprune.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.search.SearchJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune search}: the distributed pruning search. Runs Spark embedded ({@code local[*]}
 * unless the config or {@code --master} says otherwise); under spark-submit, spark-submit's master
 * is used ({@link #master}).
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search pruning plans (criterion x per-layer ratios) on Spark; keep the Pareto front by validation"
          + " accuracy and MACs.",
      "Without --config it runs the demo config (conf/search-demo.conf, packaged in the jar)."
    })
final class SearchCommand implements Callable<Integer> {
  static final String DEMO = "org/depprune/driver/config/search-demo.conf";

  @Option(names = "--config", paramLabel = "FILE", description = "Search config (HOCON); see conf/search-reference.conf.")
  Path config;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (local path or Hadoop URI); overrides search.output.")
  String out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master; overrides search.master. Under spark-submit, spark-submit's master is used and a different --master is an error.")
  String master;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one config key under search (HOCON value), e.g. --set halving.budgets=[256,1024]; repeatable.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(names = "--print-data", hidden = true,
      description = "Print the resolved search.data.train (empty: Debian's Fashion-MNIST) and stop; bin/depprune asks it.")
  boolean printData;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter console = spec.commandLine().getOut();
    Map<String, Object> overrides = new LinkedHashMap<>();
    set.forEach((key, value) -> overrides.put(key, hocon(key, value)));
    if (out != null) {
      overrides.put("output", out);
    }
    if (master != null) {
      overrides.put("master", master);
    }
    // A line per trial comes from the search; the trainer's per-epoch lines would drown it.
    org.apache.logging.log4j.core.config.Configurator.setLevel("org.depprune.train.Trainer",
        org.apache.logging.log4j.Level.WARN);
    SearchConfig settings = config != null ? SearchConfig.load(config, overrides) : demo(overrides);
    if (printData) {
      console.println(settings.data().debianDefault() ? "" : settings.data().train());
      return 0;
    }
    // Before anything loads ND4J: the first selection picks the JVM's native library.
    var engine = org.depprune.backend.CpuEngines.select(settings.engine());
    console.printf("CPU engine: %s%n", engine.id());
    Heap.start();
    SparkConf conf = new SparkConf().setAppName("depprune-search").set("spark.ui.showConsoleProgress", "false");
    conf.setMaster(master(conf, master, settings.master()));
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    try {
      console.printf("Spark %s, master %s, Spark UI %s%n", spark.version(), spark.sparkContext().master(),
          spark.sparkContext().uiWebUrl().getOrElse(() -> "off"));
      new SearchJob(settings, console).run(spark);
      console.printf("driver JVM: %s%s%n", Heap.describe(),
          spark.sparkContext().isLocal() ? " (in local mode the executors share it)" : "");
    } finally {
      spark.stop();
    }
    return 0;
  }

  /**
   * The master the search runs on. Under spark-submit (which sets {@code spark.master}) it is
   * spark-submit's: {@code search.master} does not apply there, and a different {@code --master}
   * is refused rather than silently overriding where the job was submitted. Otherwise it is
   * {@code --master}, else {@code search.master}.
   */
  static String master(SparkConf conf, String option, String configured) {
    if (conf.contains("spark.master")) {
      String submitted = conf.get("spark.master");
      if (option != null && !option.equals(submitted)) {
        throw new IllegalArgumentException("--master " + option + " conflicts with spark-submit's master " + submitted
            + ": spark-submit decides where the job runs; drop --master or change spark-submit's");
      }
      return submitted;
    }
    return option != null ? option : configured;
  }

  /**
   * A --set value read as HOCON (a number, a list, a quoted string...); a value that is not
   * HOCON, such as an unquoted URI ({@code s3a://bucket/data}), is taken as a plain string.
   */
  static Object hocon(String key, String value) {
    try {
      return com.typesafe.config.ConfigFactory.parseString("v = " + value).getValue("v").unwrapped();
    } catch (com.typesafe.config.ConfigException e) {
      return value;
    }
  }

  static SearchConfig demo(Map<String, Object> overrides) {
    try (var in = SearchCommand.class.getClassLoader().getResourceAsStream(DEMO)) {
      if (in == null) {
        throw new IllegalStateException(DEMO + " is missing from the classpath: rebuild the driver");
      }
      return SearchConfig.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), overrides);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
