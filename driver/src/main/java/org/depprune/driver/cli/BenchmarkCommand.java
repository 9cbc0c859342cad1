package org.depprune.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Pruning;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.model.BaseModel;
import org.depprune.model.ModelFiles;
import org.depprune.model.Zoo;
import org.depprune.pruning.RatioPruner;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune benchmark}: times building the dependency graph and pruning 50% of every group
 * (median of several runs after warm-up), and prints a Markdown table for BENCHMARKS.md.
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Time graph building and 50% pruning (median of --runs after --warmup runs).")
final class BenchmarkCommand implements Callable<Integer> {
  @Option(names = "--models", split = ",", description = "Zoo names, or 'base' for models/base-resnet.zip (default: ${DEFAULT-VALUE}).")
  List<String> models = new ArrayList<>(List.of("base", "resnet50", "vgg16"));

  @Option(names = "--runs", description = "Timed runs (default: ${DEFAULT-VALUE}).")
  int runs = 7;

  @Option(names = "--warmup", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup = 3;

  @Spec CommandSpec spec;

  @Mixin EngineOption engine;

  @Override
  public Integer call() throws Exception {
    engine.select();
    PrintWriter out = spec.commandLine().getOut();
    out.println("| model | parameters | groups | graph build (ms, median) | plan 50% (ms) | prune 50% (ms) | parameters after |");
    out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (String name : models) {
      Model net = load(name);
      var types = name.equals("base") ? null : Zoo.inputType(name);
      double[] build = new double[runs];
      double[] plan = new double[runs];
      double[] prune = new double[runs];
      DepGraph graph = null;
      Pruning pruning = null;
      Model pruned = null;
      for (int i = -warmup; i < runs; i++) {
        long t0 = System.nanoTime();
        graph = types == null ? DepGraph.of(net) : DepGraph.builder(net).optInputTypes(types).build();
        long t1 = System.nanoTime();
        pruning = RatioPruner.plan(graph, 0.5, new MagnitudeImportance());
        long t2 = System.nanoTime();
        pruned = graph.prune(pruning);
        long t3 = System.nanoTime();
        if (i >= 0) {
          build[i] = (t1 - t0) / 1e6;
          plan[i] = (t2 - t1) / 1e6;
          prune[i] = (t3 - t2) / 1e6;
        }
      }
      out.printf("| %s | %,d | %d | %.1f | %.1f | %.1f | %,d |%n", name, net.numParams(),
          graph.groups().size(), median(build), median(plan), median(prune), pruned.numParams());
      out.flush();
    }
    return 0;
  }

  private static Model load(String name) throws Exception {
    if (!name.equals("base")) {
      return Zoo.create(name);
    }
    Path file = Path.of("models/base-resnet.zip");
    return Files.exists(file) ? ModelFiles.load(file) : BaseModel.create(BaseModel.Spec.defaults());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
