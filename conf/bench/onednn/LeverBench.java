import java.util.Locale;
import org.depprune.backend.CpuEngine;
import org.depprune.backend.CpuEngines;
import org.depprune.metrics.LatencyMeter;
import org.depprune.metrics.TrainingThroughput;
import org.depprune.model.BaseModel;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The issue-16 levers on the base model, one JVM per engine: data format, workspace mode, data
 * type and minibatch size. Training examples/s of fit steps on random data, and the settled
 * inference latency at batch 8.
 *
 *   java -cp "$(cat driver/target/classpath.txt):driver/target/classes:executor-lib/target/classes" \
 *       conf/bench/onednn/LeverBench.java onednn
 *
 * (OMP_NUM_THREADS=1; see BENCHMARKS.md, "The other levers".)
 */
public class LeverBench {
  public static void main(String[] args) {
    CpuEngine engine = CpuEngines.select(CpuEngine.parse(args[0]));
    System.out.println("engine " + engine.id());
    row("NCHW (default)", net(CNN2DFormat.NCHW, WorkspaceMode.ENABLED, DataType.FLOAT), 64, true);
    row("NHWC", net(CNN2DFormat.NHWC, WorkspaceMode.ENABLED, DataType.FLOAT), 64, engine == CpuEngine.PLAIN);
    row("workspaces NONE", net(CNN2DFormat.NCHW, WorkspaceMode.NONE, DataType.FLOAT), 64, true);
    row("double", net(CNN2DFormat.NCHW, WorkspaceMode.ENABLED, DataType.DOUBLE), 64, true);
    row("half", net(CNN2DFormat.NCHW, WorkspaceMode.ENABLED, DataType.HALF), 64, true);
    for (int batch : new int[] {16, 32, 128, 256}) {
      row("batch " + batch, net(CNN2DFormat.NCHW, WorkspaceMode.ENABLED, DataType.FLOAT), batch, true);
    }
  }

  static ComputationGraph net(CNN2DFormat format, WorkspaceMode workspaces, DataType type) {
    ComputationGraphConfiguration conf = BaseModel.configuration(BaseModel.Spec.defaults(), format);
    conf.setTrainingWorkspaceMode(workspaces);
    conf.setInferenceWorkspaceMode(workspaces);
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return type == DataType.FLOAT ? net : net.convertDataType(type);
  }

  static DataType type(ComputationGraph net) {
    return net.params().dataType();
  }

  /** Training examples/s (only where the engine trains this variant right) and latency at batch 8. */
  static void row(String name, ComputationGraph net, int batch, boolean train) {
    boolean nhwc = name.startsWith("NHWC");
    long[] example = nhwc ? new long[] {28, 28, 1} : new long[] {1, 28, 28};
    String training = "-";
    if (train) {
      int steps = Math.max(10, (type(net) == DataType.HALF ? 640 : 3200) / batch);
      var t = TrainingThroughput.measure(net.clone(), example, batch, 5, steps, 42);
      training = String.format(Locale.ROOT, "%.0f", t.examplesPerSecond());
    }
    var input = Nd4j.rand(net.params().dataType(), nhwc ? new long[] {8, 28, 28, 1} : new long[] {8, 1, 28, 28});
    var latency = LatencyMeter.measure(net, input, 20, 200, java.time.Duration.ofSeconds(20), (p, ms) -> {});
    System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %s |%n", name, training, latency.medianMillis(),
        latency.settled() ? "yes" : "no");
  }
}
