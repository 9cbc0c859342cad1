package org.depprune.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.depprune.model.Zoo;
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

  @Option(names = "--input-shape", split = ",", paramLabel = "C,H,W", description = "One example's shape for --model (default: 1,28,28, Fashion-MNIST); zoo models know theirs.")
  List<Integer> inputShape = List.of(1, 28, 28);

  @Option(names = "--batch", description = "Batch size for the latency (default: ${DEFAULT-VALUE}).")
  int batch = 32;

  @Option(names = "--runs", description = "Timed forward passes, after 3 warm-up ones (default: ${DEFAULT-VALUE}).")
  int runs = 10;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    int[] shape = source.choice.zoo != null ? Zoo.inputShape(source.choice.zoo) : inputShape.stream().mapToInt(Integer::intValue).toArray();
    if (shape.length != 3 || java.util.Arrays.stream(shape).anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException("--input-shape takes three positive sizes C,H,W, found " + inputShape);
    }
    Model net = source.load();
    MacReport report = MacCounter.count(net, InputType.convolutional(shape[1], shape[2], shape[0]));
    LatencyMeter.Latency latency =
        LatencyMeter.measure(net, Nd4j.rand(batch, shape[0], shape[1], shape[2]), 3, runs);
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
