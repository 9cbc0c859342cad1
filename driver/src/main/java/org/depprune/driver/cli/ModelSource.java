package org.depprune.driver.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.depprune.graph.DepGraph;
import org.depprune.model.ModelFiles;
import org.depprune.model.Zoo;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --model FILE | --zoo NAME}: the network a command works on. */
final class ModelSource {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Choice choice;

  static final class Choice {
    @Option(names = "--model", paramLabel = "FILE", description = "A DL4J model zip (ComputationGraph or MultiLayerNetwork).")
    Path model;

    @Option(names = "--zoo", paramLabel = "NAME", description = "A DL4J zoo architecture with random weights and 10 classes: ${COMPLETION-CANDIDATES}.", completionCandidates = ZooNames.class)
    String zoo;
  }

  /** The zoo names, for picocli's help text. */
  static final class ZooNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Zoo.names().iterator();
    }
  }

  Model load() throws IOException {
    return choice.model != null ? ModelFiles.load(choice.model) : Zoo.create(choice.zoo);
  }

  DepGraph.Builder graph(Model net) {
    DepGraph.Builder builder = DepGraph.builder(net);
    return choice.zoo != null ? builder.optInputTypes(Zoo.inputType(choice.zoo)) : builder;
  }

  String describe() {
    return choice.model != null ? choice.model.toString() : "zoo:" + choice.zoo;
  }
}
