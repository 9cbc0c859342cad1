package org.depprune.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune stats}: parameters, MACs and latency of a model. The counts come first (they
 * are instant); latency is measured within a time budget, a line per pass, and can be skipped:
 * VGG-16 at batch 32 takes minutes per pass on two cores.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Print a model's parameters and MACs per example (per layer with --json), then its inference latency within a time budget.")
final class StatsCommand implements Callable<Integer> {
  @Mixin ModelSource source;

  @Option(names = "--batch", description = "Batch size for the latency (default: ${DEFAULT-VALUE}).")
  int batch = 32;

  @Option(names = "--runs", description = "At most this many timed forward passes (default: ${DEFAULT-VALUE}).")
  int runs = 10;

  @Option(names = "--warmup", description = "Untimed passes first, within half the budget (default: ${DEFAULT-VALUE}).")
  int warmup = 3;

  @Option(names = "--latency-seconds", paramLabel = "S", description = "Time budget of the latency measurement: passes stop when it is spent, after at least one timed pass (default: ${DEFAULT-VALUE}).")
  double latencySeconds = 10;

  @Option(names = "--no-latency", description = "Print the counts only.")
  boolean noLatency;

  @Option(names = "--json", description = "Print JSON (progress lines go to stderr).")
  boolean json;

  @Spec CommandSpec spec;

  @Mixin EngineOption engine;

  @Override
  public Integer call() throws Exception {
    engine.select();
    Model net = source.load();
    InputType type = source.inputType(net);
    MacReport report = MacCounter.count(net, type);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = json ? spec.commandLine().getErr() : out;
    if (!json) {
      out.printf(Locale.ROOT, "%s%n  parameters  %,d%n  MACs        %,d per example (plus %,d batch-norm, pooling and"
          + " element-wise operations)%n", source.describe(), report.params(), report.macs(), report.otherOps());
      out.flush();
    }
    LatencyMeter.Latency latency = noLatency ? null : latency(net, type, progress);
    if (json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", source.describe());
      row.put("params", report.params());
      row.put("macs", report.macs());
      row.put("otherOps", report.otherOps());
      if (latency != null) {
        row.put("latencyMillis", latency.medianMillis());
        row.put("latencyRuns", latency.runs());
        row.put("batch", batch);
      }
      row.put("perLayerMacs", report.perLayer());
      out.println(new ObjectMapper().writeValueAsString(row));
    } else if (latency != null) {
      out.printf(Locale.ROOT, "  latency     %.2f ms per batch of %d (median of %d passes within a %s s budget;"
          + " %.3f ms per example)%n", latency.medianMillis(), batch, latency.runs(), seconds(latencySeconds),
          latency.perExampleMillis());
    }
    return 0;
  }

  private LatencyMeter.Latency latency(Model net, InputType type, PrintWriter progress) {
    if (!(latencySeconds > 0)) {
      throw new IllegalArgumentException("--latency-seconds must be positive, found " + latencySeconds);
    }
    long[] example = type.getShape(false);
    long[] shape = new long[example.length + 1];
    shape[0] = batch;
    System.arraycopy(example, 0, shape, 1, example.length);
    var input = Nd4j.rand(DataType.FLOAT, shape);
    progress.printf(Locale.ROOT, "latency: batches of %d, up to %d warm-up and %d timed passes within %s s%n", batch,
        warmup, runs, seconds(latencySeconds));
    progress.flush();
    return LatencyMeter.measure(net, input, warmup, runs, Duration.ofMillis((long) (latencySeconds * 1000)),
        (pass, millis) -> {
          progress.printf(Locale.ROOT, pass < 0 ? "latency: warm-up pass took %.1f ms%n" : "latency: pass %d took %.1f ms%n",
              pass < 0 ? new Object[] {millis} : new Object[] {pass + 1, millis});
          progress.flush();
        });
  }

  private static String seconds(double s) {
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }
}
