package org.depprune.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.depprune.graph.DepGraph;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.pruning.Pruner;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.depprune.model.BaseModel;
import org.depprune.model.ModelFiles;
import org.depprune.model.PruningProvenance;
import org.depprune.model.TrainingProvenance;
import org.depprune.model.Versions;
import org.depprune.model.Zoo;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code depprune graph} and {@code depprune prune} end to end. */
class GraphAndPruneIT {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void graphListsTheGroups() throws Exception {
    DepPruneCliTest.Result r = DepPruneCliTest.run("graph", "--zoo", "lenet");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("zoo:lenet: 1,256,080 parameters, 5 groups (3 prunable)"), r.out());
    assertTrue(r.out().contains("is an output layer"), r.out());

    DepPruneCliTest.Result j = DepPruneCliTest.run("graph", "--zoo", "squeezenet", "--json");
    assertEquals(0, j.code(), j.err());
    JsonNode tree = json.readTree(j.out());
    assertEquals(27, tree.get("groups").size());
    assertEquals(DepGraph.builder(Zoo.create("squeezenet")).optInputTypes(Zoo.inputType("squeezenet")).build().prunableGroups().size(),
        (int) java.util.stream.StreamSupport.stream(tree.get("groups").spliterator(), false).filter(g -> g.get("prunable").asBoolean()).count());
  }

  @Test
  void pruneSavesAReplayableSmallerModel() throws Exception {
    Path base = dir.resolve("base.zip");
    ComputationGraph net = BaseModel.create(new BaseModel.Spec(8, 16, 10, 2, 1e-3, 1.0));
    ModelFiles.save(net, base, new TrainingProvenance(
        TrainingProvenance.FORMAT, "depprune-resnet", new BaseModel.Spec(8, 16, 10, 2, 1e-3, 1.0), 1, 64, 10, 10, 10, 1,
        List.of(1.0), 0.5, 0.5, "/data", Versions.all(), "2026-11-25T00:00:00Z"));
    Path out = dir.resolve("pruned.zip");
    DepPruneCliTest.Result r = DepPruneCliTest.run(
        "prune", "--model", base.toString(), "--ratio", "0.5", "--ignore", "dense", "--criterion", "group-norm",
        "--out", out.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode summary = json.readTree(r.out());
    assertEquals(net.numParams(), summary.get("paramsBefore").asLong());
    assertEquals(4, summary.get("groupsPruned").asInt(), "stem, block1_conv1, down, block2_conv1; dense ignored");

    Model pruned = ModelFiles.load(out);
    assertEquals(summary.get("paramsAfter").asLong(), pruned.numParams());
    DepGraph prunedGraph = DepGraph.of(pruned);
    assertEquals(4, prunedGraph.group("stem").channels());
    assertEquals(16, prunedGraph.group("dense").channels(), "the ignored layer keeps its units");

    PruningProvenance provenance = ModelFiles.readProvenance(out, PruningProvenance.class);
    assertEquals(base.toString(), provenance.base());
    assertEquals(List.of("dense"), provenance.ignored());
    assertEquals("group-norm", provenance.criterion());
    Model replayed = ModelFiles.load(base);
    for (var step : provenance.steps()) {
      replayed = DepGraph.of(replayed).prune(step);
    }
    assertEquals(pruned.params(), replayed.params());
  }

  @Test
  void pruneOptionsReachTheirTargets() throws Exception {
    String base = Path.of("..", "models", "base-resnet.zip").toString();
    DepPruneCliTest.Result macs = DepPruneCliTest.run("prune", "--model", base, "--target-macs", "50", "--criterion", "lamp", "--json");
    assertEquals(0, macs.code(), macs.err());
    double kept = json.readTree(macs.out()).get("macsKept").asDouble();
    assertTrue(kept <= 0.5 && kept > 0.4, "MACs kept " + kept);

    Path out = dir.resolve("taylor.zip");
    DepPruneCliTest.Result taylor = DepPruneCliTest.run("prune", "--model", base, "--criterion", "group-taylor",
        "--data", "/usr/share/datasets/fashion-mnist", "--ratio", "0.4", "--steps", "2", "--finetune", "128",
        "--round-to", "4", "--global", "--out", out.toString(), "--json");
    assertEquals(0, taylor.code(), taylor.err());
    assertEquals(2, json.readTree(taylor.out()).get("steps").asInt());
    for (var group : DepGraph.of(ModelFiles.load(out)).prunableGroups()) {
      assertEquals(0, group.channels() % 4, group.id() + " keeps a multiple of 4: " + group.channels());
    }
    assertEquals(2, ModelFiles.readProvenance(out, PruningProvenance.class).steps().size());

    assertError(DepPruneCliTest.run("prune", "--model", base, "--criterion", "hessian"),
        "criterion 'hessian' and --finetune need training data: add --data /usr/share/datasets/fashion-mnist");
  }

  @Test
  void aMacsTargetRecordsTheRatioItReached() throws Exception {
    String base = Path.of("..", "models", "base-resnet.zip").toString();
    Path out = dir.resolve("half-macs.zip");
    DepPruneCliTest.Result r = DepPruneCliTest.run("prune", "--model", base, "--target-macs", "50", "--out",
        out.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    PruningProvenance provenance = ModelFiles.readProvenance(out, PruningProvenance.class);
    assertEquals(json.readTree(r.out()).get("ratio").asDouble(), provenance.ratio());
    // The recorded ratio, applied again, gives the saved network.
    Model again = Pruner.builder(new MagnitudeImportance()).optRatio(provenance.ratio())
        .optInputTypes(InputType.convolutional(28, 28, 1)).build().run(ModelFiles.load(Path.of(base))).network();
    assertEquals(ModelFiles.load(out).numParams(), again.numParams());
    assertEquals(ModelFiles.load(out).params(), again.params());
  }

  @Test
  void statsCountsTheCommittedModel() throws Exception {
    DepPruneCliTest.Result r = DepPruneCliTest.run(
        "stats", "--model", Path.of("..", "models", "base-resnet.zip").toString(), "--json", "--runs", "2", "--batch", "4");
    assertEquals(0, r.code(), r.err());
    JsonNode row = json.readTree(r.out());
    assertEquals(230_634, row.get("params").asLong());
    assertEquals(2_347_008, row.get("macs").asLong());
    assertEquals(8, row.get("perLayerMacs").size());
    assertTrue(row.get("latencyMillis").asDouble() > 0);
    DepPruneCliTest.Result zoo = DepPruneCliTest.run("stats", "--zoo", "lenet", "--batch", "1", "--runs", "1", "--json");
    assertEquals(0, zoo.code(), "zoo models know their input shape: " + zoo.err());
    assertEquals(Zoo.create("lenet").numParams(), json.readTree(zoo.out()).get("params").asLong());
    DepPruneCliTest.Result wrong = DepPruneCliTest.run(
        "stats", "--model", Path.of("..", "models", "base-resnet.zip").toString(), "--input-shape", "1,28");
    assertError(wrong, "--input-shape takes three positive sizes C,H,W (or one, N, for a vector), found [1, 28]");
  }

  @Test
  void aModelThatDoesNotRecordItsInputSizeAsksForInputShape() throws Exception {
    // an RGB network whose configuration, as DL4J saves it, records its channels but not its image size
    var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
        new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).list()
            .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(8).name("stem").build())
            .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nOut(4).build())
            .setInputType(InputType.convolutional(32, 32, 3)).build());
    net.init();
    Path model = dir.resolve("rgb.zip");
    org.deeplearning4j.util.ModelSerializer.writeModel(net, model.toFile(), false);
    assertError(DepPruneCliTest.run("prune", "--model", model.toString(), "--ratio", "0.5"),
        "(its first layer 'stem' takes [3, ?, ?] (channels, height, width)): give them with --input-shape C,H,W");
    DepPruneCliTest.Result r = DepPruneCliTest.run("prune", "--model", model.toString(), "--ratio", "0.5",
        "--input-shape", "3,32,32", "--json");
    assertEquals(0, r.code(), r.err());
    assertEquals(net.numParams(), json.readTree(r.out()).get("paramsBefore").asLong());
    assertTrue(json.readTree(r.out()).get("paramsAfter").asLong() < net.numParams());
    DepPruneCliTest.Result stats = DepPruneCliTest.run("stats", "--model", model.toString(), "--input-shape", "3,32,32",
        "--no-latency", "--json");
    assertEquals(0, stats.code(), stats.err());
    assertEquals(30 * 30 * 8 * 27 + 30 * 30 * 8 * 4, json.readTree(stats.out()).get("macs").asLong(),
        "3x3 conv on 32x32x3 (no padding) then the dense output on 30x30x8");
  }

  @Test
  void badInputGetsAClearErrorAndWritesNothing() throws Exception {
    Path out = dir.resolve("never.zip");
    assertError(DepPruneCliTest.run("prune", "--zoo", "lenet", "--ratio", "1.0", "--out", out.toString()),
        "pruning ratio must be in [0, 1), found 1.0");
    assertError(DepPruneCliTest.run("prune", "--zoo", "lenet", "--ratio", "0.5", "--ignore", "nosuch", "--out", out.toString()),
        "no layer or vertex named 'nosuch'");
    assertError(DepPruneCliTest.run("graph", "--zoo", "resnet51"), "unknown zoo model 'resnet51'; choose one of lenet");
    Path corrupt = Files.writeString(dir.resolve("corrupt.zip"), "not a model");
    assertError(DepPruneCliTest.run("graph", "--model", corrupt.toString()), "model file " + corrupt);
    assertError(DepPruneCliTest.run("prune", "--zoo", "lenet", "--ratio", "0.5", "--criterion", "l3", "--out", out.toString()),
        "unknown criterion 'l3'; choose one of magnitude, group-norm, bn-scale, lamp, fpgm, random");
    assertFalse(Files.exists(out));
    DepPruneCliTest.Result both = DepPruneCliTest.run("graph", "--zoo", "lenet", "--model", "x.zip");
    assertEquals(2, both.code());
    assertTrue(both.err().contains("mutually exclusive"), both.err());
  }

  private static void assertError(DepPruneCliTest.Result r, String expected) {
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
  }
}
