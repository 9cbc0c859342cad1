package org.depprune.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code depprune stats}: parameters, MACs and latency of a model. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Print a model's parameters, MACs per example (and per layer) and inference latency.")
final class StatsCommand implements Callable<Integer> {
  @Mixin ModelSource source;

  @Option(names = "--batch", description = "Batch size for the latency (default: ${DEFAULT-VALUE}).")
  int batch = 32;

  @Option(names = "--runs", description = "Timed forward passes, after 3 warm-up ones (default: ${DEFAULT-VALUE}).")
  int runs = 10;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var type = (InputType.InputTypeConvolutional) source.inputType();
    Model net = source.load();
    MacReport report = MacCounter.count(net, type);
    LatencyMeter.Latency latency = LatencyMeter.measure(
        net, Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, batch, type.getChannels(), type.getHeight(), type.getWidth()), 3, runs);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", source.describe());
      row.put("params", report.params());
      row.put("macs", report.macs());
      row.put("otherOps", report.otherOps());
      row.put("latencyMillis", latency.medianMillis());
      row.put("batch", batch);
      row.put("perLayerMacs", report.perLayer());
      out.println(new ObjectMapper().writeValueAsString(row));
      return 0;
    }
    out.printf("%s%n  parameters  %,d%n  MACs        %,d per example (plus %,d batch-norm, pooling and element-wise operations)%n"
            + "  latency     %.2f ms per batch of %d (median of %d; %.3f ms per example)%n",
        source.describe(), report.params(), report.macs(), report.otherOps(), latency.medianMillis(),
        batch, runs, latency.perExampleMillis());
    return 0;
  }
}
