package org.depprune.driver.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.depprune.export.InferenceCopy;
import org.depprune.model.InferenceProvenance;
import org.depprune.model.ModelFiles;
import org.depprune.model.Versions;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code depprune export}: the inference-only copy of a (pruned) model, as deployed. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write an inference-only copy of a model: batch norms folded into the layer before them, activation"
        + " layers fused into a linear layer before them, dropout removed, the same outputs. Its provenance keeps the"
        + " source model's and lists what was folded and fused.")
final class ExportCommand implements Callable<Integer> {
  @Mixin ModelSource source;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the copy (a model zip).")
  Path out;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Model net = source.load();
    InferenceCopy.Result copy = InferenceCopy.of(net);
    var sourceProvenance = source.file() == null ? null : ModelFiles.provenance(source.file()).orElse(null);
    ModelFiles.save(copy.network(), out, new InferenceProvenance(ModelFiles.PROVENANCE_FORMAT, source.describe(),
        sourceProvenance, copy.folded(), copy.removed(), copy.fused(), net.numParams(), copy.network().numParams(),
        Versions.all(), Instant.now().toString()));
    var w = spec.commandLine().getOut();
    w.printf("%s: folded %d batch norm(s), fused %d activation layer(s), removed %d dropout layer(s)%n",
        source.describe(), copy.folded().size(), copy.fused().size(), copy.removed().size());
    w.printf("parameters: %,d -> %,d%n", net.numParams(), copy.network().numParams());
    w.printf("wrote %s%n", out);
    return 0;
  }
}
