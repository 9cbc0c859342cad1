package org.depprune.driver.finetune;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.depprune.data.Examples;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.data.Block;
import org.depprune.driver.data.SearchData;
import org.depprune.driver.results.FinalModel;
import org.depprune.model.ModelFiles;
import org.depprune.trial.LongFinetune;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * The final finetune with one worker per plan: each chosen plan is one Spark task that reads the
 * whole training split from its cached partitions and runs {@link LongFinetune} (one thread, the
 * recipe's rate under one schedule over every epoch, distilled from the base model when asked),
 * and the plans run side by side, one per slot. On a model that trains fast on one core this beats
 * parameter averaging, which ships the parameters every few steps and averages away part of each
 * worker's progress (BENCHMARKS.md compares the two); data-parallel is {@code final.workers > 1}.
 */
final class OneWorkerFinetune {
  /** What scores and saves a finetuned model (the final finetune's own). */
  @FunctionalInterface
  interface Scorer {
    FinalModel score(FinalFinetune.Context ctx, FinalFinetune.Job job, Model trained, List<Double> valLoss,
        Double baseTest, long started, int workers, String trainingMaster) throws IOException;
  }

  /** What a task sends back: the finetuned model's bytes and the validation loss before and after each epoch. */
  record Trained(byte[] model, List<Double> valLoss) implements Serializable {}

  private final SearchConfig config;
  private final PrintWriter out;

  OneWorkerFinetune(SearchConfig config, PrintWriter out) {
    this.config = config;
    this.out = out;
  }

  List<FinalModel> run(FinalFinetune.Context ctx, List<FinalFinetune.Job> jobs, Double baseTest, Scorer scorer)
      throws IOException, InterruptedException {
    Examples validation = ctx.data().broadcastValidation();
    Broadcast<Examples> shared = validation == null ? null : ctx.sc().broadcast(validation);
    Broadcast<byte[]> base = ctx.sc().broadcast(ctx.baseBytes());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, ctx.slots()));
    try {
      List<Future<FinalModel>> running = new ArrayList<>();
      for (FinalFinetune.Job job : jobs) {
        running.add(pool.submit(() -> finetune(ctx, job, base, shared, baseTest, scorer)));
      }
      List<FinalModel> results = new ArrayList<>();
      for (Future<FinalModel> f : running) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
      base.destroy();
      if (shared != null) {
        shared.destroy();
      }
    }
  }

  private FinalModel finetune(FinalFinetune.Context ctx, FinalFinetune.Job job, Broadcast<byte[]> base,
      Broadcast<Examples> validation, Double baseTest, Scorer scorer) throws IOException {
    long started = System.nanoTime();
    SearchConfig.Final settings = config.finalFinetune();
    byte[] student = ModelFiles.bytes(FinalFinetune.startingModel(ctx, job.row()));
    SearchData data = ctx.data();
    int partitions = data.description().partitionSizes().size();
    int[] perPartition = FinalFinetune.examplesPerPartition(data, settings.trainExamples());
    var recipe = settings.recipe(config.finetune().recipe());
    double temperature = settings.distill() ? config.recovery().temperature() : 0;
    var finetune = new LongFinetune(settings.epochs(), settings.batchSizePerWorker(), recipe,
        settings.schedule().equals("exponential") ? settings.lrDecay() : 1, temperature, config.recovery().alpha(),
        FinalFinetune.epochSeed(job.row().seed(), 0));
    int threads = config.nd4jThreads();
    var engine = org.depprune.backend.CpuEngines.current();
    out.printf(Locale.ROOT, "final finetune of %s (%s, %s, %.1f%% MACs, budget %.1f%%): %d epochs on %,d examples,"
            + " one worker%n", job.row().planId(), job.role(), job.row().plan().criterion(),
        100 * job.row().macsShare(), 100 * job.budget(), settings.epochs(), java.util.Arrays.stream(perPartition).sum());
    out.flush();
    ctx.sc().setJobGroup("depprune-final-" + config.hash(), "final finetune of " + job.row().planId(), true);
    JavaRDD<Tuple2<Integer, Block>> all = data.trainPartitions(0, partitions);
    Trained trained = all.mapPartitions(blocks -> {
      org.depprune.backend.CpuEngines.select(engine);
      Nd4j.getEnvironment().setMaxThreads(threads);
      List<Tuple2<Integer, Block>> read = new ArrayList<>();
      blocks.forEachRemaining(read::add);
      List<Examples> parts = new ArrayList<>();
      for (Block b : SearchData.inReadingOrder(read, 0)) {
        parts.add(b.examples());
      }
      for (int p = 0; p < parts.size(); p++) {
        parts.set(p, parts.get(p).head(perPartition[p]));
      }
      Examples train = Examples.concat(parts.get(0).exampleShape(), parts.get(0).numClasses(), parts);
      Model net = ModelFiles.load(student, "the plan's model");
      Model teacher = ModelFiles.load(base.value(), "the base model");
      List<Double> losses = finetune.run(net, teacher, train, validation == null ? null : validation.value());
      return List.of(new Trained(ModelFiles.bytes(net), losses)).iterator();
    }).collect().get(0);
    Model model = ModelFiles.load(trained.model(), "the finetuned model of " + job.row().planId());
    List<Double> losses = trained.valLoss();
    for (int e = 1; e < losses.size(); e++) {
      out.printf(Locale.ROOT, "  %s epoch %d/%d: validation loss %.4f%n", job.row().planId(), e, settings.epochs(),
          losses.get(e));
    }
    out.flush();
    try {
      return scorer.score(ctx, job, model, losses, baseTest, started, 1, "one-worker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
