package org.depprune.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.depprune.importance.MagnitudeImportance;
import org.depprune.metrics.MacCounter;
import org.depprune.model.BaseModel;
import org.depprune.pruning.RatioPruner;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * The API examples of the README and of docs/pruning.md run, with their results checked; the code
 * between the markers is the first Java block of each file, line for line.
 */
class ReadmeExampleTest {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void theReadmeExampleRuns() throws IOException {
    // README example begins
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());        // or any DL4J network you load
    Model half = RatioPruner.prune(DepGraph.of(net), 0.5, new MagnitudeImportance()).network();
    long macs = MacCounter.count(half, InputType.convolutional(28, 28, 1)).macs();  // about a quarter of net's
    // README example ends
    assertEquals(8, DepGraph.of(half).group("stem").channels());
    long before = MacCounter.count(net, InputType.convolutional(28, 28, 1)).macs();
    assertTrue(macs > 0.2 * before && macs < 0.3 * before, macs + " of " + before);
    // The original keeps every weight: the same values as a fresh network of the same seed.
    assertEquals(BaseModel.create(BaseModel.Spec.defaults()).params(), net.params(), "net untouched");
    assertEquals(exampleOf("README.md"), markedBlock("theReadmeExampleRuns"));
  }

  @Test
  void theDocsExampleRuns() throws IOException {
    // docs example begins
    ComputationGraph net = BaseModel.create(BaseModel.Spec.defaults());   // any DL4J network
    DepGraph graph = DepGraph.of(net);
    Group stem = graph.group("stem");        // stem conv, its BN, both residual branches, ...
    Model smaller = graph.prune(stem, 0, 5);  // channels 0 and 5 go everywhere they appear
    Pruning record = Pruning.of(List.of(graph.step(stem, 0, 5)));  // replayable, JSON-ready
    Model half = RatioPruner.prune(graph, 0.5, new MagnitudeImportance()).network();
    // docs example ends
    assertEquals(16, stem.channels());
    assertEquals(net.numParams() - 1190, smaller.numParams());
    assertEquals(smaller.params(), graph.prune(record).params());
    assertEquals(BaseModel.create(BaseModel.Spec.defaults()).params(), net.params(), "net untouched");
    assertEquals(8, DepGraph.of(half).group("stem").channels());
    assertEquals(exampleOf("docs/pruning.md"), markedBlock("theDocsExampleRuns"));
  }

  /** The first ```java block of {@code file}, lines trimmed. */
  private static List<String> exampleOf(String file) throws IOException {
    Matcher m = Pattern.compile("(?s)```java\\n(.*?)\\n```").matcher(Files.readString(PROJECT.resolve(file)));
    assertTrue(m.find(), file + " has a Java example");
    return m.group(1).lines().map(String::trim).toList();
  }

  /** The lines between this test method's markers, trimmed. */
  private static List<String> markedBlock(String method) throws IOException {
    String source = Files.readString(PROJECT.resolve("executor-lib/src/test/java/org/depprune/graph/ReadmeExampleTest.java"));
    String body = source.substring(source.indexOf("void " + method));
    Matcher m = Pattern.compile("(?s)example begins\\n(.*?)\\n\\s*// \\w+ example ends").matcher(body);
    assertTrue(m.find());
    return m.group(1).lines().map(String::trim).toList();
  }
}
