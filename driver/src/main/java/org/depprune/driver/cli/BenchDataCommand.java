package org.depprune.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.depprune.data.BatchIterator;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.data.SearchData;
import org.depprune.model.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune bench-data}: how fast a search's data path is, without the search: the seconds
 * to read, decode, split and cache the data of a search config ({@link SearchData#load}), and a
 * pass over the cached training partitions that builds every minibatch a trial would (examples per
 * second, on the executors), with the driver JVM's peak heap.
 */
@Command(
    name = "bench-data",
    mixinStandardHelpOptions = true,
    description = "Time a search config's data path: read, decode and cache it, then build every training"
        + " minibatch from the cached partitions; print examples per second and the driver's peak heap.")
final class BenchDataCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "A search config (default: the demo's).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key under search.")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(names = "--master", description = "Spark master (default: the config's).")
  String master;

  @Option(names = "--batch", description = "Minibatch size of the pass (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new LinkedHashMap<>();
    set.forEach((key, value) -> overrides.put(key, SearchCommand.hocon(key, value)));
    SearchConfig settings = config != null ? SearchConfig.load(config, overrides) : SearchCommand.demo(overrides);
    SparkConf conf = new SparkConf().setAppName("depprune-bench-data").set("spark.ui.showConsoleProgress", "false");
    conf.setMaster(SearchCommand.master(conf, master, settings.master()));
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    PrintWriter out = spec.commandLine().getOut();
    try {
      Heap.start();
      var model = ModelFiles.load(Path.of(settings.baseModel()));
      long start = System.nanoTime();
      try (SearchData data = SearchData.load(spark, settings.data(), model,
          ModelFiles.recordedSplit(Path.of(settings.baseModel())), settings.partitions(), settings.seed(),
          settings.validationExamples(), 0, settings.testExamples())) {
        double load = (System.nanoTime() - start) / 1e9;
        var d = data.description();
        long examples = d.trainExamples() + d.heldOutExamples() + d.testExamples();
        out.printf(Locale.ROOT, "%s %s: %,d examples (%,d train in %d partitions, %,d validation, %,d test) read,"
                + " decoded and cached in %.1f s: %,.0f examples/s%n", d.format(), d.train(), examples,
            d.trainExamples(), d.partitionSizes().size(), d.heldOutExamples(), d.testExamples(), load,
            examples / load);
        int size = batch;
        start = System.nanoTime();
        long built = data.train().map(b -> {
          long n = 0;
          var it = BatchIterator.ordered(b.examples(), size);
          while (it.hasNext()) {
            n += it.next().numExamples();
          }
          return n;
        }).reduce(Long::sum);
        double pass = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "a pass over the cached training partitions: %,d examples in minibatches of %d in"
            + " %.1f s: %,.0f examples/s%n", built, batch, pass, built / pass);
        out.printf("driver JVM: %s (in local mode the executors share it)%n", Heap.describe());
      }
    } finally {
      spark.stop();
    }
    return 0;
  }
}
