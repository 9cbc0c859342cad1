package org.depprune.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchConfigTest {
  @TempDir Path dir;

  @Test
  void theReferenceGivesEveryDefault() {
    SearchConfig c = SearchConfig.defaults();
    assertEquals("models/base-resnet.zip", c.baseModel());
    assertEquals(42, c.seed());
    assertEquals(SearchConfig.Scheduling.ASYNC, c.scheduling());
    assertEquals(10, c.criteria().size());
    assertEquals(List.of(0, 4096, SearchConfig.Halving.EPOCH), c.halving().budgets());
    assertEquals(2000, c.halving().earlyValidationExamples());
    assertEquals(0, c.validationExamples(), "the last round and the winners on the whole validation split");
    assertEquals(new org.depprune.train.FinetuneRecipe(org.depprune.train.FinetuneRecipe.Optimizer.MODEL, 0, 3.0,
        org.depprune.train.FinetuneRecipe.LrSchedule.COSINE, 0), c.finetune().recipe());
    assertTrue(c.finetune().guard());
    assertEquals(0.7, c.space().maxRatio());
    assertEquals(c.criteria(), c.evolutionCriteria());
    assertEquals(org.depprune.backend.CpuEngine.ONEDNN, c.engine(), "oneDNN by default");
    assertEquals(org.depprune.backend.CpuEngine.PLAIN,
        SearchConfig.parse("", java.util.Map.of("engine", "plain")).engine(), "and plain on request");
    assertFalse(c.hash().equals(SearchConfig.parse("", java.util.Map.of("engine", "plain")).hash()),
        "a search resumed under the other engine is another search");
  }

  @Test
  void theCommittedConfigsParseAndOverridesApply() throws Exception {
    Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath();
    Path demo = root.resolve("conf/search-demo.conf");
    if (!Files.exists(demo)) {
      demo = Path.of("../conf/search-demo.conf");
    }
    SearchConfig c = SearchConfig.load(demo, Map.of("output", "/tmp/x", "master", "local[1]"));
    assertEquals("/tmp/x", c.output());
    assertEquals("local[1]", c.master());
    assertEquals(List.of(0, 4096, SearchConfig.Halving.EPOCH), c.halving().budgets());
    assertEquals(List.of(0, 4096, 54000), c.halving().resolve(54000).budgets(), "epoch: one pass over the split");
    assertEquals(c.hash(), SearchConfig.load(demo, Map.of("output", "/tmp/y")).hash(), "where results go is not part of the search");
    assertEquals(c.hash(), SearchConfig.load(demo, Map.of("parallelism", 1, "scheduling", "stage")).hash());
    assertNotEquals(c.hash(), SearchConfig.load(demo, Map.of("seed", 7)).hash());
  }

  @Test
  void anOverrideKeyMayCarryTheSearchPrefixAsTheFileWritesIt() {
    assertEquals(7, SearchConfig.parse("search { seed = 3 }", Map.of("search.seed", 7)).seed());
    assertEquals(List.of(256, 1024),
        SearchConfig.parse("", Map.of("search.halving.budgets", List.of(256, 1024))).halving().budgets());
    assertEquals(7, SearchConfig.parse("", Map.of("seed", 7)).seed(), "and without it");
    var e = assertThrows(IllegalArgumentException.class, () -> SearchConfig.parse("", Map.of("search.sed", 7)));
    assertTrue(e.getMessage().contains("unknown key 'search.sed'"), e.getMessage());
  }

  @Test
  void anUnknownKeyNamesItselfAndItsLine() throws Exception {
    Path file = dir.resolve("typo.conf");
    Files.writeString(file, "search {\n  seed = 1\n  halving.budget = [10]\n}\n");
    var e = assertThrows(IllegalArgumentException.class, () -> SearchConfig.load(file, Map.of()));
    assertEquals(file + " (line 3): unknown key 'search.halving.budget'; the keys and their meaning are in"
        + " conf/search-reference.conf", e.getMessage());
    var top = assertThrows(IllegalArgumentException.class, () -> SearchConfig.parse("seed = 1", Map.of()));
    assertTrue(top.getMessage().contains("unknown key 'seed'"), top.getMessage());
  }

  @Test
  void badValuesSayWhatWouldFixThem() {
    assertBad("space.max-ratio = 1.2", "search.space.max-ratio must be a ratio in [0, 1) (found 1.2)");
    assertBad("uniform.ratios = [0.5, 1]", "search.uniform.ratios must be a ratio in [0, 1)");
    assertBad("criteria = [magnitude, taylr]", "has unknown criterion 'taylr'; choose among magnitude,");
    assertBad("halving.budgets = [512, 256]", "search.halving.budgets must increase from round to round");
    assertBad("halving.promote = 0", "search.halving.promote must be in (0, 1]");
    assertBad("scheduling = eager", "search.scheduling must be async or stage");
    assertBad("engine = fast", "search.engine must be onednn or plain (found \"fast\")");
    assertBad("criteria = [magnitude], evolution.criteria = [lamp]", "names 'lamp', which is not in search.criteria");
    assertBad("partitions = 0", "search.partitions must be >= 1");
    assertBad("macs-ceiling = 0", "search.macs-ceiling must be in (0, 1]");
    assertBad("seed = forty-two", "seed");
    assertBad("space { min-ratio = 0.5, max-ratio = 0.4 }", "search.space.max-ratio must be >= search.space.min-ratio");
    assertBad("final.macs-budgets = [0.4, 1.5]", "search.final.macs-budgets must hold MACs shares in (0, 1]");
    assertBad("final.epochs = 0", "search.final.epochs must be >= 1");
    assertBad("final.lr-decay = 1.2", "search.final.lr-decay must be in (0, 1]");
    assertBad("final.train-examples = -1", "search.final.train-examples must be >= 0 (0: the whole training split)");
    assertBad("objectives = [macs, accuracy]", "search.objectives must be accuracy and then one or two of macs");
    assertBad("objectives = [accuracy, flops]", "has unknown objective 'flops'; choose among accuracy, macs, params, latency");
    assertBad("objectives = [accuracy, macs, macs]", "names 'macs' twice");
    assertBad("budgets.macs = [0.5, 1.0]", "search.budgets.macs must hold MACs shares in (0, 1)");
    assertBad("budgets.params = [1000.5]", "search.budgets.params must hold whole parameter counts >= 1");
    assertBad("budgets.latency-ms = [0]", "search.budgets.latency-ms must hold positive milliseconds");
    assertBad("budgets.macs = [0.5, 0.5]", "search.budgets lists a budget twice");
    assertBad("halving { budgets = [0, 10, 20], keep = [5] }",
        "search.halving.keep must give one count per round after the first (2)");
    assertBad("recalibration.batches = -1", "search.recalibration.batches must be >= 0");
    assertBad("recovery.distill = maybe", "search.recovery.distill must be off, on or search");
    assertBad("recovery.alpha = 1.5", "search.recovery.alpha must be in [0, 1]");
    assertBad("recovery.sparse-method = l1", "search.recovery.sparse-method must be group-lasso or growing-reg");
  }

  @Test
  void theFinalFinetuneIsNotPartOfTheSearchIdentity() {
    SearchConfig plain = SearchConfig.parse("search { seed = 3 }", Map.of());
    SearchConfig withFinal = SearchConfig.parse("search { seed = 3, final.macs-budgets = [0.4] }", Map.of());
    assertEquals(plain.hash(), withFinal.hash(), "a finished search may go on to a final finetune");
    assertEquals(List.of(0.4), withFinal.finalFinetune().macsBudgets());
    assertNotEquals(plain.hash(), SearchConfig.parse("search { seed = 4 }", Map.of()).hash());
  }

  @Test
  void theDataBlockReadsEveryFormatAndTheOldDirectoryStringStillWorks() throws Exception {
    DataSpec idx = SearchConfig.defaults().data();
    assertTrue(idx.debianDefault(), "the embedded default: Debian's Fashion-MNIST");
    DataSpec old = SearchConfig.parse("search { data = \"/data/mnist\" }", Map.of()).data();
    assertEquals(DataSpec.IDX, old.format());
    assertEquals("/data/mnist", old.train());
    assertEquals("s3a://b/x", SearchConfig.parse("", Map.of("data", "s3a://b/x")).data().train(), "--set data=URI");

    DataSpec parquet = SearchConfig.parse("""
        search.data {
          format = parquet
          train = "s3a://bucket/train"
          options { mergeSchema = "true" }
          columns { id = image_id, label = category, image = jpeg }
          image { channels = 3, height = 96, width = 96, resize = true, normalization = standard,
                  mean = [0.5, 0.4, 0.3], std = [0.2, 0.2, 0.2] }
          corrupt = skip
        }""", Map.of()).data();
    assertEquals(Map.of("mergeSchema", "true"), parquet.options(), "reader options are free-form keys");
    assertEquals("jpeg", parquet.columns().image());
    assertEquals(DataSpec.Corrupt.SKIP, parquet.corrupt());
    assertEquals(List.of(0.5, 0.4, 0.3), parquet.image().mean());
    assertNotEquals(SearchConfig.defaults().hash(), SearchConfig.parse("search.data.format = csv", Map.of()).hash(),
        "the data is part of the search's identity");

    // every conf/examples file parses
    Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath();
    Path examples = Files.isDirectory(root.resolve("conf/examples")) ? root.resolve("conf/examples")
        : Path.of("../conf/examples");
    try (var files = Files.list(examples)) {
      List<Path> confs = files.filter(f -> f.toString().endsWith(".conf")).toList();
      assertEquals(3, confs.size(), confs.toString());
      for (Path conf : confs) {
        assertEquals(conf.getFileName().toString().startsWith("parquet") ? "parquet"
            : conf.getFileName().toString().startsWith("image") ? "image-folder" : "csv",
            SearchConfig.load(conf, Map.of()).data().format(), conf.toString());
      }
    }
  }

  @Test
  void badDataSettingsNameTheKey() {
    assertBad("data.columns { image = a, features = b }", "search.data.columns takes one of image, features");
    assertBad("data.image.channels = 2", "search.data.image.channels must be 1 or 3");
    assertBad("data.image.normalization = zscore", "must be unit, standard or none");
    assertBad("data.validation-fraction = 1.0", "search.data.validation-fraction must be in (0, 1)");
    assertBad("data.corrupt = ignore", "search.data.corrupt must be fail or skip");
    assertBad("data.colums.label = y", "unknown key 'search.data.colums.label'");
  }

  @Test
  void budgetsAndObjectivesAreReadInOrder() {
    SearchConfig c = SearchConfig.parse("""
        search {
          objectives = [accuracy, macs, latency]
          budgets { macs = [0.5, 0.33], params = [60000], latency-ms = [12.5] }
          recovery { distill = search, sparse-warmup = on }
        }
        """, Map.of());
    assertEquals(List.of(SearchConfig.Objective.ACCURACY, SearchConfig.Objective.MACS, SearchConfig.Objective.LATENCY),
        c.objectives());
    assertEquals(List.of("macs<=50%", "macs<=33%", "params<=60000", "latency<=12.5ms"),
        c.budgets().stream().map(SearchConfig.Budget::label).toList());
    assertEquals(SearchConfig.Choice.SEARCH, c.recovery().distill());
    assertEquals(SearchConfig.Choice.ON, c.recovery().sparseWarmup());
    assertEquals(List.of(), SearchConfig.defaults().budgets());
    var halving = SearchConfig.parse("search.halving { budgets = [0, 10, 20], keep = [16, 6] }", Map.of()).halving();
    assertEquals(List.of(16, 6, 3), List.of(halving.kept(1, 98), halving.kept(2, 16), halving.kept(2, 3)));
    assertEquals(25, SearchConfig.defaults().halving().kept(1, 98), "a quarter, rounded up");
    assertEquals(8, SearchConfig.defaults().recalibrationBatches());
  }

  @Test
  void theFinetuneRecipeAndTheLastPassAreReadAndChecked() {
    SearchConfig c = SearchConfig.parse("search { finetune { optimizer = nesterovs, learning-rate = 0.01,"
        + " lr-factor = 0.5, schedule = constant, weight-decay = 1e-4, guard = off, guard-budget = 512 },"
        + " halving { budgets = [256, epoch] }, sensitivity { scan = on, ratios = [0.3, 0.6] } }", Map.of());
    var recipe = c.finetune().recipe();
    assertEquals(org.depprune.train.FinetuneRecipe.Optimizer.NESTEROVS, recipe.optimizer());
    assertEquals(0.005, recipe.learningRate() * recipe.lrFactor(), 1e-12);
    assertEquals(org.depprune.train.FinetuneRecipe.LrSchedule.CONSTANT, recipe.schedule());
    assertEquals(1e-4, recipe.weightDecay());
    assertFalse(c.finetune().guard());
    assertEquals(512, c.finetune().guardBudget());
    assertEquals(List.of(256, 1000), c.halving().resolve(1000).budgets());
    var small = assertThrows(IllegalArgumentException.class, () -> c.halving().resolve(200));
    assertTrue(small.getMessage().contains("one pass over the training split is 200 images"), small.getMessage());
    assertEquals(new SearchConfig.Sensitivity(true, List.of(0.3, 0.6), c.criteria().get(0)), c.sensitivity());
    assertNotEquals(c.hash(), SearchConfig.parse("search.finetune.lr-factor = 2", Map.of()).hash());

    assertBad("finetune.optimizer = adamw", "search.finetune.optimizer must be one of model, adam, sgd, nesterovs");
    assertBad("finetune.lr-factor = 0", "search.finetune.lr-factor must be > 0");
    assertBad("finetune.schedule = linear", "search.finetune.schedule must be one of constant, cosine");
    assertBad("finetune.guard = maybe", "search.finetune.guard must be on or off");
    assertBad("halving.budgets = [epoch, 4096]", "`epoch` (one pass over the training split) only last");
    assertBad("halving.budgets = [0, lots]", "or `epoch` for one pass over the training split; found \"lots\"");
    assertBad("halving.early-validation-examples = -1", "search.halving.early-validation-examples must be >= 0");
    assertBad("sensitivity { scan = on, ratios = [0.5, 0.2] }", "search.sensitivity.ratios must increase");
  }

  private static void assertBad(String setting, String expected) {
    var e = assertThrows(IllegalArgumentException.class,
        () -> SearchConfig.parse("search { " + setting + " }", Map.of()), setting);
    assertTrue(e.getMessage().contains(expected), setting + " gave: " + e.getMessage());
  }
}
