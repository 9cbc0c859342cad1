package org.depprune.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.depprune.importance.Criteria;
import org.depprune.importance.Importance;
import org.depprune.model.ModelFiles;
import org.depprune.model.PruningProvenance;
import org.depprune.model.Versions;
import org.depprune.pruning.Pruner;
import org.depprune.data.FashionMnist;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune prune}: prunes every prunable group of a model by one ratio, or re-creates a
 * search trial's model from its plan ({@code --search DIR --trial ID}).
 */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Prune every prunable group by a ratio with an importance criterion, print parameters before and after, save"
          + " the pruned model.",
      "Or, with --search DIR --trial ID, re-create a search trial's model (pruned and finetuned as the trial was:"
          + " a plan is replayable) from the search's base model, data and config, and check it scores what its"
          + " row says."
    })
final class PruneCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  /** The model to prune, or the search trial to re-create. */
  static final class Input {
    @ArgGroup(exclusive = false, multiplicity = "1")
    ModelSource model;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Replay replay;
  }

  /** {@code --search DIR --trial ID}. */
  static final class Replay {
    @Option(names = "--search", required = true, paramLabel = "DIR",
        description = "A search's output directory (local path or Hadoop URI): its search.conf, results and base model.")
    String search;

    @Option(names = "--trial", required = true, paramLabel = "ID",
        description = "The trial to re-create: a trial id (plan-bBUDGET, as results.csv's trial_id), or a plan id (its"
            + " last-round trial).")
    String trial;
  }

  ModelSource source;

  @Option(names = "--ratio", description = "Share of each group's channels to remove, in [0, 1); a group of n keeps n - floor(n * R) (default: ${DEFAULT-VALUE}).")
  double ratio = 0.5;

  @Option(names = "--criterion", paramLabel = "NAME", description = "Importance criterion: magnitude, group-norm, bn-scale, lamp, fpgm, random (default: ${DEFAULT-VALUE}).")
  String criterion = "magnitude";

  @Option(names = "--seed", description = "Seed of the random criterion (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--global", description = "Rank channels across groups instead of within each group.")
  boolean global;

  @Option(names = "--isomorphic", description = "Rank channels across groups of the same structure only (Fang et al. 2024); implies --global.")
  boolean isomorphic;

  @Option(names = "--max-ratio", description = "The most any group may lose, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double maxRatio = 1.0;

  @Option(names = "--round-to", paramLabel = "N", description = "Round kept channel counts up to a multiple of N (default: ${DEFAULT-VALUE}).")
  int roundTo = 1;

  @Option(names = "--steps", paramLabel = "N", description = "Reach the target in N steps (default: ${DEFAULT-VALUE}).")
  int steps = 1;

  @Option(names = "--target-macs", paramLabel = "PCT", description = "Instead of --ratio: prune until MACs <= PCT% of the base.")
  Double targetMacs;

  @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST, for data-driven criteria (taylor, hessian, group-taylor, group-hessian) and --finetune; its training part under the model's recorded split.")
  Path data;

  @Option(names = "--validation-size", paramLabel = "N", description = "With --data: the validation images of the model's train / validation split, when the model does not record it (with --split-seed).")
  Integer validationSize;

  @Option(names = "--split-seed", paramLabel = "S", description = "With --data: the seed of that split.")
  Long splitSeed;

  @Option(names = "--finetune", paramLabel = "N", description = "Finetune on N training images between steps (Molchanov's loop; needs --data).")
  int finetune;

  @Option(names = "--ignore", paramLabel = "LAYER", arity = "1..*", description = "Layers whose OUT channels are not pruned.")
  List<String> ignore = new ArrayList<>();

  @Option(names = "--out", paramLabel = "FILE", description = "Where to save the pruned model (with its provenance and the replayable pruning).")
  Path out;

  @Option(names = "--json", description = "Print a JSON summary instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Mixin EngineOption engine;

  @Override
  public Integer call() throws Exception {
    if (input.replay != null) {
      return replay();
    }
    source = input.model;
    engine.select();
    Model net = source.load();
    source.graph(net).optIgnoredLayers(Set.copyOf(ignore)).build(); // validates --ignore early
    TrainingData training = data == null ? null
        : TrainingData.load(data, TrainingData.resolve(validationSize, splitSeed, source.file(), source.describe()), seed);
    if (Criteria.DATA_DRIVEN.contains(criterion) && training == null || finetune > 0 && training == null) {
      throw new IllegalArgumentException(
          "criterion '" + criterion + "' and --finetune need training data: add --data "
              + FashionMnist.DEBIAN_DIR);
    }
    Importance importance = Criteria.byName(criterion, seed, training == null ? null : training.calibration(), 8);
    Pruner.Builder builder = Pruner.builder(importance).optRatio(ratio).optGlobal(global).optIsomorphic(isomorphic)
        .optMaxRatio(maxRatio).optRoundTo(roundTo).optSteps(steps).optIgnoredLayers(Set.copyOf(ignore))
        .optInputTypes(source.inputType(net));
    if (targetMacs != null) {
      builder.optTargetMacs(targetMacs / 100);
    }
    if (finetune > 0) {
      builder.optBetweenSteps(model -> training.finetune(model, finetune));
    }
    Pruner.Result result = builder.build().run(net);
    Model pruned = result.network();
    if (out != null) {
      ModelFiles.save(pruned, out, new PruningProvenance(
          ModelFiles.PROVENANCE_FORMAT, source.describe(), importance.name(), result.ratio(), ignore,
          result.steps(), training == null ? null : data.toString(), training == null ? null : training.split(),
          net.numParams(), pruned.numParams(), Versions.all(), Instant.now().toString()));
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("model", source.describe());
      summary.put("ratio", result.ratio());
      summary.put("criterion", importance.name());
      summary.put("groupsPruned", result.steps().get(0).steps().size());
      summary.put("steps", result.steps().size());
      summary.put("macsKept", result.macsKept());
      summary.put("paramsBefore", net.numParams());
      summary.put("paramsAfter", pruned.numParams());
      if (out != null) {
        summary.put("out", out.toString());
      }
      w.println(new ObjectMapper().writeValueAsString(summary));
    } else {
      w.printf("%s: pruned %d groups in %d step(s) (%s%s)%n", source.describe(),
          result.steps().get(0).steps().size(), result.steps().size(), importance.name(), isomorphic ? ", isomorphic" : global ? ", global" : "");
      w.printf("parameters: %,d -> %,d (%.1f%%)%n", net.numParams(), pruned.numParams(),
          100.0 * pruned.numParams() / net.numParams());
      w.printf("MACs: %.1f%% of the base%n", 100 * result.macsKept());
      if (out != null) {
        w.printf("saved %s%n", out);
      }
    }
    return 0;
  }

  /** Re-creates the trial's model: {@link org.depprune.driver.search.TrialReplay}, on embedded Spark. */
  private int replay() throws Exception {
    if (out == null) {
      throw new IllegalArgumentException("--search DIR --trial ID needs --out FILE: where to save the re-created model");
    }
    PrintWriter w = spec.commandLine().getOut();
    var replayed = org.depprune.driver.search.TrialReplay.run(input.replay.search, input.replay.trial, out, w);
    w.printf(java.util.Locale.ROOT, "trial %s re-created: validation accuracy %.4f (its row: %.4f), %,d params;"
        + " saved %s%n", replayed.trialId(), replayed.accuracy(), replayed.rowAccuracy(), replayed.params(), out);
    return replayed.accuracy() == replayed.rowAccuracy() ? 0 : 3;
  }
}
