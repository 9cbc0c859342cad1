package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.depprune.importance.ChannelSlices;
import org.depprune.importance.Criteria;
import org.depprune.layers.AttentionMode;
import org.depprune.layers.PrunerRegistry;
import org.depprune.metrics.MacCounter;
import org.depprune.pruning.RatioPruner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Attention layers' heads as INNER channels: the groups they form, the shapes after pruning
 * whole heads or head dimensions, criteria that score a head over every projection, a pruned
 * classifier that still trains, MACs by hand, and the configurations that are refused.
 */
class AttentionPruningTest {
  private static final PrunerRegistry DIMS = PrunerRegistry.defaults().withAttentionHeads(AttentionMode.DIMS);

  @Test
  void headsAreAGroupOfTheirOwnBesideTheInputsAndOutputs() {
    DepGraph graph = DepGraph.of(AttentionFixtures.selfAttentionClassifier());
    Group heads = graph.group("sa:heads");
    assertEquals("sa", heads.root());
    assertEquals(4, heads.channels());
    assertEquals(List.of(new Group.Member("sa", Side.INNER, "SelfAttentionLayer", 4)), heads.members());
    assertEquals(6, graph.group("sa").channels(), "the OUT group: Wo's columns");
    assertTrue(graph.group("rnn").members().contains(new Group.Member("sa", Side.IN, "SelfAttentionLayer", 8)));
    assertEquals(3, DepGraph.builder(AttentionFixtures.selfAttentionClassifier()).optRegistry(DIMS).build()
        .group("sa:heads").channels(), "dims mode: one channel per head dimension");
    assertEquals(new Pruning.Step("sa", Side.INNER, new int[] {1}), graph.step(heads, 1));
  }

  @Test
  void headsModeRemovesWholeHeadsAndDimsModeTheSameDimensionOfEveryHead() {
    ComputationGraph net = AttentionFixtures.selfAttentionClassifier();
    INDArray wq = net.getLayer("sa").getParam("Wq").dup();
    INDArray wk = net.getLayer("sa").getParam("Wk").dup();
    INDArray wo = net.getLayer("sa").getParam("Wo").dup().reshape('c', 4, 3, 6);

    DepGraph heads = DepGraph.of(net);
    ComputationGraph byHeads = (ComputationGraph) heads.prune(heads.group("sa:heads"), 0, 2);
    SelfAttentionLayer conf = (SelfAttentionLayer) byHeads.getLayer("sa").conf().getLayer();
    assertEquals(2, conf.getNHeads());
    assertEquals(3, conf.getHeadSize());
    assertEquals(wq.get(NDArrayIndex.indices(1, 3)), byHeads.getLayer("sa").getParam("Wq"));
    assertEquals(wo.get(NDArrayIndex.indices(1, 3)).reshape('c', 6, 6), byHeads.getLayer("sa").getParam("Wo"));

    DepGraph dims = DepGraph.builder(net).optRegistry(DIMS).build();
    ComputationGraph byDims = (ComputationGraph) dims.prune(dims.group("sa:heads"), 1);
    conf = (SelfAttentionLayer) byDims.getLayer("sa").conf().getLayer();
    assertEquals(4, conf.getNHeads());
    assertEquals(2, conf.getHeadSize());
    INDArray keptDims = wk.get(NDArrayIndex.all(), NDArrayIndex.indices(0, 2), NDArrayIndex.all());
    assertEquals(keptDims, byDims.getLayer("sa").getParam("Wk"));
    // DL4J scales the scores by 1/sqrt(headSize): the queries carry sqrt(2/3) so the scores stay the same
    INDArray scaledQueries = wq.get(NDArrayIndex.all(), NDArrayIndex.indices(0, 2), NDArrayIndex.all()).mul(Math.sqrt(2.0 / 3));
    assertTrue(scaledQueries.equalsWithEps(byDims.getLayer("sa").getParam("Wq"), 1e-6));
    assertEquals(wo.get(NDArrayIndex.all(), NDArrayIndex.indices(0, 2), NDArrayIndex.all()).reshape('c', 8, 6),
        byDims.getLayer("sa").getParam("Wo"));
    assertEquals(net.params().length() - 4 * 8 * 3 - 4 * 6, byDims.params().length());
  }

  @Test
  void everyProjectionsSliceOfAHeadIsFound() {
    for (PrunerRegistry registry : List.of(PrunerRegistry.defaults(), DIMS)) {
      DepGraph graph = DepGraph.builder(AttentionFixtures.selfAttentionClassifier()).optRegistry(registry).build();
      Group heads = graph.group("sa:heads");
      List<String> keys = new ArrayList<>();
      ChannelSlices.forEach(graph, heads, m -> true, slice -> {
        keys.add(slice.key());
        assertEquals(heads.channels(), slice.param().size(slice.axis()), slice.key());
        if (slice.key().equals("Wo")) {
          assertArrayEquals(new long[] {4, 3, 6}, slice.param().shape(), "Wo seen as [nHeads, headSize, nOut]");
        }
      });
      assertEquals(List.of("Wk", "Wo", "Wq", "Wv"), keys.stream().sorted().toList());
    }
  }

  @Test
  void headCriteriaRankAWeakenedHeadLowest() {
    ComputationGraph net = AttentionFixtures.selfAttentionClassifier();
    for (String key : new String[] {"Wq", "Wk", "Wv"}) {
      net.getLayer("sa").getParam(key).get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all()).muli(0.01);
    }
    net.getLayer("sa").getParam("Wo").get(NDArrayIndex.interval(6, 9), NDArrayIndex.all()).muli(0.01);
    DepGraph graph = DepGraph.of(net);
    for (String criterion : new String[] {"group-norm", "magnitude", "lamp"}) {
      double[] scores = Criteria.byName(criterion, 0).scores(graph, graph.group("sa:heads"));
      assertEquals(4, scores.length);
      for (int h : new int[] {0, 1, 3}) {
        assertTrue(scores[2] < scores[h] * 0.1, criterion + ": head 2 scores " + scores[2] + ", head " + h + " " + scores[h]);
      }
    }
    // FPGM: a head near the origin is the nearest to all the others, the most replaceable.
    double[] fpgm = Criteria.byName("fpgm", 0).scores(graph, graph.group("sa:heads"));
    for (int h : new int[] {0, 1, 3}) {
      assertTrue(fpgm[2] < fpgm[h], "fpgm: head 2 scores " + fpgm[2] + ", head " + h + " " + fpgm[h]);
    }
    assertTrue(fpgm[0] > 0 && fpgm[0] != fpgm[1], "heads get real distances: " + java.util.Arrays.toString(fpgm));
  }

  /** Taylor and Hessian read the attention vertex's own gradients: a silenced head scores 0, a live one more. */
  @Test
  void dataDrivenCriteriaScoreTheVertexHeads() {
    Fixtures.Fixture f = AttentionFixtures.attentionVertex(AttentionMode.HEADS);
    java.util.Map<String, INDArray> params = org.depprune.network.Network.of(f.net()).params("att");
    for (String key : new String[] {"Wq", "Wk", "Wv"}) {
      params.get(key).get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
    }
    params.get("Wo").get(NDArrayIndex.interval(3, 6), NDArrayIndex.all()).assign(0);
    INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}});
    var calibration = new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
        List.of(new DataSet(f.input(), labels)));
    DepGraph graph = DepGraph.builder(f.net()).optRegistry(f.registry()).build();
    for (String criterion : new String[] {"taylor", "hessian"}) {
      double[] scores = Criteria.byName(criterion, 1, calibration, 1).scores(graph, graph.group("att:heads"));
      assertEquals(0.0, scores[1], 1e-12, criterion + ": the silenced head");
      assertTrue(scores[0] > 0, criterion + ": the live head scores " + scores[0]);
    }
  }

  @Test
  void prunedHalfByGroupNormThenTrainsAStep() {
    ComputationGraph net = AttentionFixtures.selfAttentionClassifier();
    assertEquals(112 + 360 + 21, net.params().length(), "rnn 5*8+8*8+8, attention 3*4*3*8+12*6, output 6*3+3");
    RatioPruner.Result result = RatioPruner.prune(DepGraph.of(net), 0.5, Criteria.byName("group-norm", 0));
    ComputationGraph pruned = (ComputationGraph) result.network();
    SelfAttentionLayer conf = (SelfAttentionLayer) pruned.getLayer("sa").conf().getLayer();
    assertEquals(2, conf.getNHeads(), "heads halved");
    assertEquals(3, conf.getHeadSize());
    assertEquals(4, conf.getNIn());
    assertEquals(3, conf.getNOut());
    // rnn: 5*4 + 4*4 + 4; attention: 3 * (2*3*4) + (2*3)*3; output: 3*3 + 3
    assertEquals(40 + 90 + 12, pruned.params().length());

    INDArray before = pruned.params().dup();
    var random = Nd4j.getRandomFactory().getNewRandomInstance(21);
    INDArray labels = Nd4j.zeros(4, 3);
    for (int i = 0; i < 4; i++) {
      labels.putScalar(i, i % 3, 1);
    }
    pruned.fit(new DataSet(Nd4j.rand(random, 4, 5, 6), labels));
    INDArray after = pruned.params();
    assertFalse(after.equalsWithEps(before, 1e-12), "one step changes the parameters");
    assertTrue(Double.isFinite(after.sumNumber().doubleValue()) && Double.isFinite(after.norm2Number().doubleValue()),
        "finite parameters after the step");
    INDArray out = pruned.outputSingle(Nd4j.rand(random, 2, 5, 6));
    assertTrue(Double.isFinite(out.sumNumber().doubleValue()));
  }

  @Test
  void macsCountProjectionsAndScores() {
    ComputationGraph net = AttentionFixtures.selfAttentionClassifier();
    // T=6, n=8, 4 heads of 3, 6 outputs: Q,K,V 3*6*8*12, scores and values 2*6*6*12, Wo 6*12*6
    long attention = 3 * 6 * 8 * 12 + 2 * 6 * 6 * 12 + 6 * 12 * 6;
    var report = MacCounter.count(net, InputType.recurrent(5, 6));
    assertEquals(attention, report.perLayer().get("sa"));
    DepGraph graph = DepGraph.of(net);
    ComputationGraph pruned = (ComputationGraph) graph.prune(graph.group("sa:heads"), 0, 1);
    assertEquals(3 * 6 * 8 * 6 + 2 * 6 * 6 * 6 + 6 * 6 * 6,
        MacCounter.count(pruned, InputType.recurrent(5, 6)).perLayer().get("sa"));
  }

  @Test
  void macsOfRecurrentAttentionAndTheAttentionVertex() {
    Model ra = AttentionFixtures.recurrentAttention(AttentionMode.HEADS).net();
    // T=4, nIn=4, n=5, 2 heads of 3: T nIn n, then 3 later steps of one query (Wq 5*6, Wk and Wv
    // 4*8*6, scores and values 2*4*6, Wo 6*5) plus RW 5*5
    assertEquals(4 * 4 * 5 + 3 * (5 * 6 + 4 * 8 * 6 + 2 * 4 * 6 + 6 * 5 + 5 * 5),
        MacCounter.count(ra, InputType.recurrent(3, 4)).perLayer().get("ra"));
    Model av = AttentionFixtures.attentionVertex(AttentionMode.HEADS).net();
    // T=5, queries 6, keys 6, values 5, 2 heads of 3, 4 outputs
    var report = MacCounter.count(av, InputType.recurrent(3, 5));
    assertEquals(5 * 6 * 6 + 5 * (6 + 5) * 6 + 2 * 5 * 5 * 6 + 5 * 6 * 4, report.perLayer().get("att"));
    assertEquals(av.params().length(), report.params(), "the vertex's projections are counted");
    assertEquals(2 * 3 * 6 + 2 * 3 * 6 + 2 * 3 * 5 + 6 * 4, av.params().length() - av.numParams(), "DL4J's numParams() leaves them out");
  }

  @Test
  void anIgnoredAttentionLayerKeepsItsHeads() {
    DepGraph graph = DepGraph.builder(AttentionFixtures.selfAttentionClassifier()).optIgnoredLayers(java.util.Set.of("sa")).build();
    assertTrue(graph.group("sa:heads").blocked().orElseThrow().contains("ignored"));
    assertTrue(graph.group("rnn").prunable(), "its inputs still follow the producer");
  }

  @Test
  void selfAttentionWithoutProjectionIsRefusedWithTheReason() {
    ComputationGraph net = withAttention(new SelfAttentionLayer.Builder().nIn(8).nOut(8).nHeads(1).projectInput(false).build());
    DepGraph graph = DepGraph.of(net);
    Group rnn = graph.group("rnn");
    assertTrue(rnn.blocked().orElseThrow().contains("projectInput is false"), rnn.blocked().toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> graph.prune(rnn, 1));
    assertTrue(e.getMessage().contains("'att'") && e.getMessage().contains("projectInput(true)"), e.getMessage());
  }

  @Test
  void learnedSelfAttentionIsRefusedBecauseItsForwardPassFailsInThisDl4j() {
    // Into a per-step output layer, whose nIn tells the graph the refused layer's width.
    var b = new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("in")
        .setInputTypes(InputType.recurrent(5, 6));
    b.addLayer("rnn", new SimpleRnn.Builder().nOut(8).build(), "in")
        .addLayer("att", new LearnedSelfAttentionLayer.Builder().nOut(6).nHeads(2).headSize(3).nQueries(2).projectInput(true).build(), "rnn")
        .addLayer("out", new RnnOutputLayer.Builder().nOut(2).build(), "att")
        .setOutputs("out");
    ComputationGraph net = new ComputationGraph(b.build());
    net.init();
    DepGraph graph = DepGraph.of(net);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> graph.prune(graph.group("rnn"), 1));
    assertTrue(e.getMessage().contains("LearnedSelfAttentionLayer") && e.getMessage().contains("forward pass"), e.getMessage());
    // If DL4J fixes this, the refusal is stale: write a pruner (SelfAttentionPruner plus the queries Q [1, nIn, nQueries]).
    assertThrows(RuntimeException.class, () -> net.outputSingle(Nd4j.rand(2, 5, 6)));
  }

  private static ComputationGraph withAttention(AbstractSameDiffLayer attention) {
    var b = new NeuralNetConfiguration.Builder().seed(1).graphBuilder().addInputs("in")
        .setInputTypes(InputType.recurrent(5, 6));
    b.addLayer("rnn", new SimpleRnn.Builder().nOut(8).build(), "in")
        .addLayer("att", attention, "rnn")
        .addLayer("gap", new GlobalPoolingLayer.Builder().build(), "att")
        .addLayer("out", new OutputLayer.Builder().nOut(2).build(), "gap")
        .setOutputs("out");
    ComputationGraph net = new ComputationGraph(b.build());
    net.init();
    return net;
  }
}
