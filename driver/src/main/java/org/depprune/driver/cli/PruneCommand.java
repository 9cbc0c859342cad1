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
import org.depprune.graph.DepGraph;
import org.depprune.importance.Criteria;
import org.depprune.importance.Importance;
import org.depprune.model.ModelFiles;
import org.depprune.model.PruningProvenance;
import org.depprune.model.Versions;
import org.depprune.pruner.RatioPruner;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code depprune prune}: prunes every prunable group of a model by one ratio. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = "Prune every prunable group by a ratio with an importance criterion, print parameters before and after, save the pruned model.")
final class PruneCommand implements Callable<Integer> {
  @Mixin ModelSource source;

  @Option(names = "--ratio", required = true, description = "Share of each group's channels to remove, in [0, 1); a group of n keeps n - floor(n * R).")
  double ratio;

  @Option(names = "--criterion", paramLabel = "NAME", description = "Importance criterion: magnitude, group-norm, bn-scale, lamp, fpgm, random (default: ${DEFAULT-VALUE}).")
  String criterion = "magnitude";

  @Option(names = "--seed", description = "Seed of the random criterion (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--ignore", paramLabel = "LAYER", arity = "1..*", description = "Layers whose OUT channels are not pruned.")
  List<String> ignore = new ArrayList<>();

  @Option(names = "--out", paramLabel = "FILE", description = "Where to save the pruned model (with its provenance and the replayable pruning).")
  Path out;

  @Option(names = "--json", description = "Print a JSON summary instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Model net = source.load();
    DepGraph graph = source.graph(net).optIgnoredLayers(Set.copyOf(ignore)).build();
    Importance importance = Criteria.byName(criterion, seed);
    RatioPruner.Result result = RatioPruner.prune(graph, ratio, importance);
    Model pruned = result.network();
    if (out != null) {
      ModelFiles.save(pruned, out, new PruningProvenance(
          ModelFiles.PROVENANCE_FORMAT, source.describe(), importance.name(), ratio, ignore,
          result.pruning(), net.numParams(), pruned.numParams(), Versions.all(), Instant.now().toString()));
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("model", source.describe());
      summary.put("ratio", ratio);
      summary.put("criterion", importance.name());
      summary.put("groupsPruned", result.pruning().steps().size());
      summary.put("paramsBefore", net.numParams());
      summary.put("paramsAfter", pruned.numParams());
      if (out != null) {
        summary.put("out", out.toString());
      }
      w.println(new ObjectMapper().writeValueAsString(summary));
    } else {
      w.printf("%s: pruned %d groups by %.2f (%s)%n", source.describe(),
          result.pruning().steps().size(), ratio, importance.name());
      w.printf("parameters: %,d -> %,d (%.1f%%)%n", net.numParams(), pruned.numParams(),
          100.0 * pruned.numParams() / net.numParams());
      if (out != null) {
        w.printf("saved %s%n", out);
      }
    }
    return 0;
  }
}
