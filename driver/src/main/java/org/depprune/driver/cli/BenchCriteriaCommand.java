package org.depprune.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.depprune.data.FashionMnist;
import org.depprune.data.BatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.data.Split;
import org.depprune.driver.results.Csv;
import org.depprune.importance.Criteria;
import org.depprune.importance.Importance;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.depprune.pruning.Pruner;
import org.depprune.train.Evaluator;
import org.depprune.train.Trainer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune bench-criteria}: every criterion prunes the base model to a MACs target, is
 * finetuned on the same training images, and is measured on the validation split. Prints a
 * Markdown table for BENCHMARKS.md.
 */
@Command(
    name = "bench-criteria",
    mixinStandardHelpOptions = true,
    description = "Compare the criteria on the base model: prune to a MACs target, finetune, validate.")
final class BenchCriteriaCommand implements Callable<Integer> {
  private static final InputType MNIST = InputType.convolutional(28, 28, 1);
  private static final List<String> CSV_COLUMNS = List.of("criterion", "macs_share", "params", "val_accuracy_pruned",
      "val_accuracy_finetuned", "latency_ms", "base_val_accuracy", "base_latency_ms", "finetune_examples");

  @Option(names = "--model", paramLabel = "FILE", description = "The base model (default: ${DEFAULT-VALUE}).")
  Path model = Path.of("models/base-resnet.zip");

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST (default: ${DEFAULT-VALUE}).")
  Path data = FashionMnist.DEBIAN_DIR;

  @Option(names = "--criteria", split = ",", description = "Criteria to compare (default: all).")
  List<String> criteria = new ArrayList<>(Criteria.names());

  @Option(names = "--target-macs", description = "Share of the base's MACs to keep (default: ${DEFAULT-VALUE}).")
  double targetMacs = 0.5;

  @Option(names = "--finetune-examples", description = "Training images for the finetune, one pass (default: ${DEFAULT-VALUE}).")
  int finetuneExamples = 54_000;

  @Option(names = "--seed", description = "Seed of the random criterion and the finetune order (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV (for notebooks/compare-criteria.ipynb).")
  Path csv;

  @Spec CommandSpec spec;

  @Mixin EngineOption engine;

  @Override
  public Integer call() throws Exception {
    engine.select();
    PrintWriter out = spec.commandLine().getOut();
    Model base = ModelFiles.load(model);
    TrainingProvenance provenance = ModelFiles.readProvenance(model, TrainingProvenance.class);
    LabeledImages train = FashionMnist.train(data);
    Split split = Split.of(train.size(), provenance.validationExamples(), provenance.splitSeed());
    var validation = BatchIterator.ordered(train, split.validation(), 500);
    int[] finetune = split.partitions(Math.max(1, split.train().length / Math.max(1, finetuneExamples)), seed).get(0);
    var calibration = BatchIterator.ordered(train, java.util.Arrays.copyOf(split.train(), 512), 64);
    long baseMacs = MacCounter.count(base, MNIST).macs();
    double baseLatency = LatencyMeter.measure(base, Nd4j.rand(8, 1, 28, 28), 5, 31).medianMillis();
    double baseAccuracy = Evaluator.accuracy(base, validation);
    out.printf("base: validation accuracy %.4f, %,d params, %,d MACs, %.2f ms per batch of 8%n%n",
        baseAccuracy, base.numParams(), baseMacs, baseLatency);
    List<List<Object>> csvRows = new ArrayList<>();
    out.println("| criterion | MACs kept | params | val. acc. pruned | val. acc. finetuned | latency (ms, batch 8) | speed-up / MACs ratio |");
    out.println("| --- | --- | --- | --- | --- | --- | --- |");
    out.flush();
    for (String name : criteria) {
      Importance importance = Criteria.byName(name, seed, calibration, 8);
      Pruner.Result result = Pruner.builder(importance).optTargetMacs(targetMacs).optInputTypes(MNIST).build().run(base);
      Model pruned = result.network();
      double before = Evaluator.accuracy(pruned, validation);
      Trainer.fit(pruned, BatchIterator.shuffled(train, finetune, 64, seed), 1);
      double after = Evaluator.accuracy(pruned, validation);
      double latency = LatencyMeter.measure(pruned, Nd4j.rand(8, 1, 28, 28), 5, 31).medianMillis();
      double speedup = baseLatency / latency;
      out.printf("| %s | %.1f%% | %,d | %.4f | %.4f | %.2f | %.2f |%n", name, 100 * result.macsKept(),
          pruned.numParams(), before, after, latency, speedup * result.macsKept());
      out.flush();
      csvRows.add(List.of(name, round(result.macsKept(), 6), pruned.numParams(), round(before, 4), round(after, 4),
          round(latency, 3), round(baseAccuracy, 4), round(baseLatency, 3), finetune.length));
      if (csv != null) { // after every criterion, so a stopped run keeps what it measured
        try (var writer = java.nio.file.Files.newBufferedWriter(csv)) {
          Csv.write(writer, CSV_COLUMNS, csvRows);
        }
      }
    }
    out.printf("%nfinetune: one pass over %,d training images, batch 64, the base model's updater settings%n", finetune.length);
    return 0;
  }

  /** {@code x} rounded to {@code decimals} places, as the table shows it. */
  private static double round(double x, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(x * scale) / scale;
  }
}
