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

  @Option(names = "--input-shape", split = ",", paramLabel = "C,H,W", description = "One example's shape (default for --model: 1,28,28, Fashion-MNIST; zoo models know theirs).")
  java.util.List<Integer> inputShape;

  /** The network input's type: the zoo model's, --input-shape, or Fashion-MNIST's 1x28x28. */
  org.deeplearning4j.nn.conf.inputs.InputType inputType() {
    if (choice.zoo != null && inputShape == null) {
      return Zoo.inputType(choice.zoo);
    }
    java.util.List<Integer> shape = inputShape == null ? java.util.List.of(1, 28, 28) : inputShape;
    if (shape.size() != 3 || shape.stream().anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException("--input-shape takes three positive sizes C,H,W, found " + shape);
    }
    return org.deeplearning4j.nn.conf.inputs.InputType.convolutional(shape.get(1), shape.get(2), shape.get(0));
  }

  Model load() throws IOException {
    return choice.model != null ? ModelFiles.load(choice.model) : Zoo.create(choice.zoo);
  }

  DepGraph.Builder graph(Model net) {
    DepGraph.Builder builder = DepGraph.builder(net);
    return choice.zoo != null || inputShape != null ? builder.optInputTypes(inputType()) : builder;
  }

  /** The model file, or null for a zoo model. */
  Path file() {
    return choice.model;
  }

  String describe() {
    return choice.model != null ? choice.model.toString() : "zoo:" + choice.zoo;
  }
}
