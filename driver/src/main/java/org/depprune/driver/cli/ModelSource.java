package org.depprune.driver.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.depprune.backend.CpuEngines;
import org.depprune.graph.DepGraph;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.depprune.data.FashionMnist;
import org.depprune.model.ModelFiles;
import org.depprune.network.ExpectedInput;
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

  @Option(names = "--input-shape", split = ",", paramLabel = "C,H,W|N", description = "One example's shape: C,H,W for images, N for a vector (default: what the model's configuration records; zoo models know theirs).")
  java.util.List<Integer> inputShape;

  /**
   * The network input's type: {@code --input-shape}; else the zoo model's; else what the model's
   * configuration records (a FeedForwardToCnnPreProcessor's image size, a dense first layer's
   * inputs); else, for a base model from {@code train-base}, Fashion-MNIST's 1x28x28. Otherwise an
   * error that says what the model does record and that {@code --input-shape} gives the rest.
   */
  InputType inputType(Model net) {
    if (inputShape != null) {
      if (inputShape.size() == 1 && inputShape.get(0) > 0) {
        return InputType.feedForward(inputShape.get(0));
      }
      if (inputShape.size() != 3 || inputShape.stream().anyMatch(d -> d <= 0)) {
        throw new IllegalArgumentException("--input-shape takes three positive sizes C,H,W (or one, N, for a"
            + " vector), found " + inputShape);
      }
      CNN2DFormat format = ExpectedInput.of(net).map(ExpectedInput::format).orElse(CNN2DFormat.NCHW);
      return InputType.convolutional(inputShape.get(1), inputShape.get(2), inputShape.get(0), format);
    }
    if (choice.zoo != null) {
      return Zoo.inputType(choice.zoo);
    }
    Optional<ExpectedInput> expected = ExpectedInput.of(net);
    Optional<InputType> recorded = expected.flatMap(ExpectedInput::inputType);
    if (recorded.isPresent()) {
      return recorded.get();
    }
    if (trainedByDepPrune() && expected.map(e -> e.channels() == 1).orElse(false)) {
      return InputType.convolutional(FashionMnist.ROWS, FashionMnist.COLS, 1);
    }
    throw new IllegalArgumentException(describe() + ": its configuration does not record its input's height and"
        + " width" + expected.map(e -> " (its first layer '" + e.layer() + "' takes " + e.describe() + ")").orElse("")
        + ": give them with --input-shape C,H,W, e.g. --input-shape "
        + expected.map(e -> e.channels() + ",224,224").orElse("3,224,224"));
  }

  /** Whether the model file carries train-base's provenance (its data is Fashion-MNIST). */
  private boolean trainedByDepPrune() {
    try {
      return choice.model != null && ModelFiles.recordedSplit(choice.model).isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** The model, built for the CPU engine in effect ({@link CpuEngines#guard}). */
  Model load() throws IOException {
    return CpuEngines.guard(choice.model != null ? ModelFiles.load(choice.model) : Zoo.create(choice.zoo));
  }

  DepGraph.Builder graph(Model net) {
    return DepGraph.builder(net).optInputTypes(inputType(net));
  }

  /** The model file, or null for a zoo model. */
  Path file() {
    return choice.model;
  }

  String describe() {
    return choice.model != null ? choice.model.toString() : "zoo:" + choice.zoo;
  }
}
