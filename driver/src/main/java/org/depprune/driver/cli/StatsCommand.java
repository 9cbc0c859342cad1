package org.depprune.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.depprune.backend.CpuEngine;
import org.depprune.export.InferenceCopy;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.MacCounter;
import org.depprune.metrics.MacReport;
import org.depprune.metrics.TrainingThroughput;
import org.depprune.network.Network;
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
  int runs = 100;

  @Option(names = "--warmup", description = "At least this many untimed passes, and a quarter of the budget, first; then more until the time per pass settles (the median of the warm-up's second half within 3% of the quarter before it, checked every 20 passes), within half the budget (default: ${DEFAULT-VALUE}).")
  int warmup = 20;

  @Option(names = "--latency-seconds", paramLabel = "S", description = "Time budget of the latency measurement: passes stop when it is spent, after at least one timed pass (default: ${DEFAULT-VALUE}).")
  double latencySeconds = 20;

  @Option(names = "--inference-copy", description = "Measure the inference copy that 'depprune export' writes (batch norm folded, activations fused, dropout removed) instead of the model as saved.")
  boolean inferenceCopy;

  @Option(names = "--train-steps", paramLabel = "N", description = "Also time N training steps (after 3 untimed ones) at --train-batch, on a copy of the model, and print examples per second (default: ${DEFAULT-VALUE}: skip).")
  int trainSteps = 0;

  @Option(names = "--train-batch", paramLabel = "B", description = "Minibatch of --train-steps (default: ${DEFAULT-VALUE}).")
  int trainBatch = 64;

  @Option(names = "--no-latency", description = "Print the counts only.")
  boolean noLatency;

  @Option(names = "--json", description = "Print JSON (progress lines go to stderr).")
  boolean json;

  @Spec CommandSpec spec;

  @Mixin EngineOption engine;

  @Override
  public Integer call() throws Exception {
    CpuEngine cpu = engine.select();
    Model loaded = source.load();
    InputType type = source.inputType(loaded);
    Model net = inferenceCopy ? InferenceCopy.of(loaded).network() : loaded;
    MacReport report = MacCounter.count(net, type);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = json ? spec.commandLine().getErr() : out;
    if (!json) {
      out.printf(Locale.ROOT, "%s%n  parameters  %,d%n  MACs        %,d per example (plus %,d batch-norm, pooling and"
          + " element-wise operations)%n", source.describe(), report.params(), report.macs(), report.otherOps());
      out.flush();
    }
    if (trainSteps < 0) {
      throw new IllegalArgumentException("--train-steps must be >= 0 (0: skip), found " + trainSteps);
    }
    TrainingThroughput.Throughput training = trainSteps > 0
        ? TrainingThroughput.measure(Network.of(loaded).copy(), type.getShape(false), trainBatch, 3, trainSteps, 42)
        : null;
    LatencyMeter.Latency latency = noLatency ? null : latency(net, type, progress);
    if (json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("model", source.describe());
      row.put("params", report.params());
      row.put("macs", report.macs());
      row.put("otherOps", report.otherOps());
      row.put("engine", cpu.id());
      row.put("inferenceCopy", inferenceCopy);
      if (training != null) {
        row.put("trainExamplesPerSecond", training.examplesPerSecond());
        row.put("trainBatch", trainBatch);
        row.put("trainSteps", trainSteps);
      }
      if (latency != null) {
        row.put("latencyMillis", latency.medianMillis());
        row.put("latencyP90Millis", latency.p90Millis());
        row.put("latencyMinMillis", latency.minMillis());
        row.put("latencyRuns", latency.runs());
        row.put("warmupPasses", latency.warmupPasses());
        row.put("settled", latency.settled());
        row.put("batch", batch);
      }
      row.put("perLayerMacs", report.perLayer());
      out.println(new ObjectMapper().writeValueAsString(row));
    } else {
      out.printf(Locale.ROOT, "  engine      %s%s%n", cpu.id(), inferenceCopy ? ", inference copy (batch norm folded, activations fused, dropout removed)" : "");
      if (training != null) {
        out.printf(Locale.ROOT, "  training    %.1f examples/s at batch %d (%d steps, median step %.1f ms)%n",
            training.examplesPerSecond(), trainBatch, trainSteps, training.medianStepMillis());
      }
      if (latency != null) {
        out.printf(Locale.ROOT, "  latency     %.2f ms per batch of %d (median of %d passes within a %s s budget;"
            + " p90 %.2f ms, %.3f ms per example) after %d warm-up passes%s%n", latency.medianMillis(), batch,
            latency.runs(), seconds(latencySeconds), latency.p90Millis(), latency.perExampleMillis(),
            latency.warmupPasses(), latency.settled() ? ""
                : " (the time per pass had not settled: raise --latency-seconds)");
      }
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
    progress.printf(Locale.ROOT, "latency: batches of %d, at least %d warm-up passes (until settled) and up to %d timed"
        + " passes within %s s%n", batch, warmup, runs, seconds(latencySeconds));
    progress.flush();
    return LatencyMeter.measure(net, input, warmup, runs, Duration.ofMillis((long) (latencySeconds * 1000)),
        (pass, millis) -> {
          progress.printf(Locale.ROOT, pass < 0 ? "latency: warm-up pass %d took %.1f ms%n" : "latency: pass %d took %.1f ms%n",
              pass < 0 ? -pass : pass + 1, millis);
          progress.flush();
        });
  }

  private static String seconds(double s) {
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }
}
