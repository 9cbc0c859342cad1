package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.model.BaseModel;
import org.depprune.pruning.RatioPruner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** The README's API example, verbatim between the markers, with its results checked. */
class ReadmeExampleTest {
  @Test
  void theReadmeExampleRuns() {
    // README example begins
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());   // any DL4J network
    DepGraph graph = DepGraph.of(net);
    Group stem = graph.group("stem");        // stem conv, its BN, both residual branches, ...
    Model smaller = graph.prune(stem, 0, 5);  // channels 0 and 5 go everywhere they appear
    Pruning record = Pruning.of(List.of(graph.step(stem, 0, 5)));  // replayable, JSON-ready
    Model half = RatioPruner.prune(graph, 0.5, new MagnitudeImportance()).network();
    // README example ends
    assertEquals(16, stem.channels());
    assertEquals(net.numParams() - 1190, smaller.numParams());
    assertEquals(smaller.params(), graph.prune(record).params());
    // The original keeps every weight: the same values as a fresh network of the same seed.
    assertEquals(BaseModel.create(BaseModel.Spec.defaults()).params(), net.params(), "net untouched");
    assertEquals(8, DepGraph.of(half).group("stem").channels());
  }
}
