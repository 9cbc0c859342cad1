package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.depprune.data.BatchIterator;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;
import org.depprune.driver.config.SearchConfig;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.results.SearchSummary;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.driver.testing.SharedSparkSession;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.depprune.train.Evaluator;
import org.depprune.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The recipe check on a trained fixture model whose saved rate diverges (plain SGD at 20, as a
 * model file may say): the search stops before any plan is finetuned and names the keys; a sane
 * recipe set in the config passes the check in the same directory, and the check's row is the
 * unpruned base after the plans' finetune.
 */
class RecipeGuardIT extends SharedSparkSession {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void trainedModelWithADivergingRate() throws Exception {
    SearchFixture.write(dir);
    ComputationGraph net = (ComputationGraph) ModelFiles.load(dir.resolve("base.zip"));
    LabeledImages images = FashionMnist.train(dir.resolve("data"));
    int[] all = java.util.stream.IntStream.range(0, images.size()).toArray();
    Trainer.fit(net, BatchIterator.shuffled(images, all, 32, 3), 6);
    assertTrue(Evaluator.accuracy(net, BatchIterator.ordered(images, 100)) > 0.9, "the fixture learns its bands");
    for (var layer : net.getLayers()) {
      if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b
          && b.getIUpdater().hasLearningRate()) {
        b.setIUpdater(new Sgd(20.0));
      }
    }
    model = dir.resolve("diverging.zip");
    ModelFiles.save(net, model, ModelFiles.readProvenance(dir.resolve("base.zip"), TrainingProvenance.class));
  }

  private static String config(Map<String, String> extra) {
    java.util.Map<String, String> all = new java.util.LinkedHashMap<>(Map.of(
        "base-model", "\"" + model + "\"", "finetune.guard", "on", "evolution.generations", "0"));
    all.putAll(extra);
    return SearchFixture.config(dir, all);
  }

  @Test
  void aDivergingRateStopsTheSearchNamingTheKeyAndASaneOnePassesInTheSameDirectory() throws Exception {
    Path out = dir.resolve("out");
    SearchConfig bad = SearchConfig.parse(config(Map.of()), Map.of("output", out.toString()));
    StringWriter console = new StringWriter();
    var e = assertThrows(IllegalStateException.class,
        () -> new SearchJob(bad, new PrintWriter(console, true)).run(spark));
    assertTrue(e.getMessage().startsWith("search.finetune: finetuning the unpruned base model on 64 images"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Lower search.finetune.lr-factor (now 3.0), set search.finetune.learning-rate,"
        + " or choose another search.finetune.optimizer"), e.getMessage());
    List<ResultRow> rows = ResultStore.open(out.toString(), spark.sparkContext().hadoopConfiguration()).rows();
    ResultRow check = rows.stream().filter(r -> r.origin().equals("guard")).findFirst().orElseThrow();
    assertTrue(check.plan().prunesNothing());
    assertEquals(64, check.budget());
    assertTrue(rows.stream().noneMatch(r -> r.budget() > 0 && !r.origin().equals("guard")), "no plan was finetuned");

    SearchConfig sane = SearchConfig.parse(config(Map.of("finetune.learning-rate", "1e-3")),
        Map.of("output", out.toString()));
    SearchSummary summary = new SearchJob(sane, new PrintWriter(new StringWriter(), true)).run(spark);
    ResultRow passed = summary.baseFinetuned();
    assertTrue(passed.ok());
    assertTrue(summary.base().accuracy() - passed.accuracy() <= summary.base().accuracyError(),
        passed.accuracy() + " against " + summary.base().accuracy());
    assertEquals(summary.base().validationExamples(), passed.validationExamples(), "scored on the base's examples");
    List<ResultRow> now = ResultStore.open(out.toString(), spark.sparkContext().hadoopConfiguration()).rows();
    assertTrue(now.stream().allMatch(r -> r.configHash().equals(sane.hash())), "the stopped search's rows are gone");
    assertTrue(summary.front().stream().noneMatch(r -> r.origin().equals("guard")), "the check is not a plan");
  }

  @Test
  void theCheckPassesWithinOneStandardErrorAndFailsBeyond() {
    assertTrue(RecipeGuard.passes(0.90, 0.91, 0.011));
    assertTrue(!RecipeGuard.passes(0.89, 0.91, 0.011));
    assertTrue(RecipeGuard.passes(0.95, 0.91, 0.011), "better is fine");
  }
}
