package org.depprune.driver.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.depprune.driver.finetune.FinalProvenance;
import org.depprune.driver.results.ResultStore;
import org.depprune.driver.testing.SearchFixture;
import org.depprune.model.ModelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on 127.0.0.1, built by {@code deploy/}: a master and two
 * one-core workers from the Maven-built Spark home, the search submitted as the shaded jar with
 * {@code deploy/submit.sh} (spark-submit). The same config is also submitted with
 * {@code --master local[2]}; both must give the same rows. A third run loses an executor JVM
 * (SIGKILL, by {@link ExecutorKillingListener} in the driver) while it runs a trial, and must still
 * finish with every trial exactly once, the lost trial retried elsewhere, and the same rows.
 * The config ends with a final data-parallel finetune (dl4j-spark) of one front plan.
 */
class ClusterIT {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static Path clusterDir;
  static Map<String, String> env;
  static String uiUrl;

  @BeforeAll
  static void startCluster() throws Exception {
    SearchFixture.write(dir);
    // With a final finetune of one front plan: dl4j-spark's parameter averaging across the workers.
    Files.writeString(dir.resolve("search.conf"), SearchFixture.config(dir, Map.of("final.macs-budgets", "[0.9]",
        "final.epochs", "1", "final.batch-size-per-worker", "16", "final.averaging-frequency", "2",
        "final.workers", "0", "final.uniform-baseline", "off")));
    clusterDir = dir.resolve("cluster");
    int masterPort = freePort();
    int uiPort = freePort();
    env = Map.of("DEPPRUNE_CLUSTER_DIR", clusterDir.toString(),
        "SPARK_MASTER_PORT", Integer.toString(masterPort),
        "SPARK_MASTER_WEBUI_PORT", Integer.toString(uiPort));
    uiUrl = "http://127.0.0.1:" + uiPort + "/json/";
    Run start = run(List.of("deploy/cluster.sh", "start", "2", "1", "2g"), dir.resolve("start.log"));
    assertEquals(0, start.code(), start.log());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (env != null) {
      run(List.of("deploy/cluster.sh", "stop"), dir.resolve("stop.log"));
    }
  }

  @Test
  void theClusterRunsTheTrialsInItsExecutorsAndGivesTheLocalRows() throws Exception {
    MasterWatcher watcher = new MasterWatcher();
    watcher.start();
    Run cluster = submit(List.of(), dir.resolve("out-cluster"));
    watcher.interrupt();
    watcher.join();
    assertEquals(0, cluster.code(), cluster.log());
    Run local = submit(List.of("--master", "local[2]"), dir.resolve("out-local"));
    assertEquals(0, local.code(), local.log());

    assertEquals(2, watcher.aliveWorkers, "workers alive while the search ran");
    assertEquals("depprune-search", watcher.runningApp, "the master's web UI lists the running search");
    String appId = watcher.runningAppId;

    Map<String, Map<String, Object>> clusterRows = rows(dir.resolve("out-cluster"));
    assertEquals(rows(dir.resolve("out-local")), withoutRunColumns(clusterRows));

    // Every trial ran in an executor that one of the two workers launched for this application.
    Set<String> launched = new TreeSet<>();
    for (int worker = 1; worker <= 2; worker++) {
      Path appDir = clusterDir.resolve("worker-" + worker).resolve(appId);
      try (Stream<Path> executors = Files.list(appDir)) {
        executors.filter(e -> Files.exists(e.resolve("stderr"))).forEach(e -> launched.add(e.getFileName().toString()));
      }
    }
    Set<String> used = new TreeSet<>();
    allRows(dir.resolve("out-cluster")).values().forEach(row -> used.add(String.valueOf(row.get("executor"))));
    assertFalse(used.contains("driver"));
    assertTrue(launched.containsAll(used), "executors " + used + " launched by the workers: " + launched);
    assertEquals(2, used.size(), "both workers' executors ran trials: " + used);

    JsonNode summary = JSON.readTree(dir.resolve("out-cluster").resolve("summary.json").toFile());
    assertEquals(1, summary.get("finals").size(), "one final model");
    String plan = summary.get("finals").get(0).get("planId").asText();
    Path model = dir.resolve("out-cluster").resolve("final").resolve(plan + ".zip");
    FinalProvenance provenance = ModelFiles.readProvenance(model, FinalProvenance.class);
    assertEquals(2, provenance.workers(), "parameter averaging over the two workers' slots");
    assertEquals(summary.get("finals").get(0).get("params").asLong(), ModelFiles.load(model).numParams());
  }

  @Test
  void losingAnExecutorMidSearchLosesNoTrialAndDuplicatesNone() throws Exception {
    Path out = dir.resolve("out-fault");
    Run local = submit(List.of("--master", "local[2]"), dir.resolve("out-fault-local"));
    assertEquals(0, local.code(), local.log());
    int expected = rows(dir.resolve("out-fault-local")).size();

    // The driver SIGKILLs the executor that the third trial task starts on (ExecutorKillingListener),
    // so the kill lands while that executor runs a trial, after two trials were handed out.
    Path report = dir.resolve("killed.txt");
    Run fault = submit(List.of("--driver-class-path", Path.of("target/test-classes").toAbsolutePath().toString(),
        "--conf", "spark.extraListeners=" + ExecutorKillingListener.class.getName(),
        "--conf", ExecutorKillingListener.KILL_AT + "=3",
        "--conf", ExecutorKillingListener.REPORT + "=" + report), out);
    assertEquals(0, fault.code(), fault.log());
    assertTrue(Files.exists(report), "the listener killed no executor: " + fault.log());
    Properties killed = new Properties();
    try (var in = Files.newBufferedReader(report)) {
      killed.load(in);
    }
    assertTrue(ProcessHandle.of(Long.parseLong(killed.getProperty("pid"))).isEmpty(), "the executor JVM is gone");

    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
      ids.add(JSON.readTree(line).get("trial_id").asText());
    }
    assertEquals(expected, ids.size(), "one row per trial");
    assertEquals(expected, new TreeSet<>(ids).size(), "no trial twice");
    Map<String, Map<String, Object>> all = allRows(out);
    assertTrue(all.values().stream().allMatch(r -> "ok".equals(r.get("status"))), "every trial ok after the loss");
    Map<String, Object> lost = all.get(killed.getProperty("trial"));
    assertTrue(((Number) lost.get("attempt")).intValue() > 0, "the lost trial was retried: " + lost);
    assertNotEquals(killed.getProperty("executor"), lost.get("executor"), "the retry ran in another executor");
    assertEquals(rows(dir.resolve("out-fault-local")), withoutRunColumns(all), "a retried trial gives the same row");
  }

  /** Polls the master's JSON page (the web UI's data) while a search runs. */
  private static final class MasterWatcher extends Thread {
    volatile int aliveWorkers;
    volatile String runningApp;
    volatile String runningAppId;

    @Override
    public void run() {
      HttpClient http = HttpClient.newHttpClient();
      while (!isInterrupted()) {
        try {
          String body = http.send(HttpRequest.newBuilder(URI.create(uiUrl)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString()).body();
          JsonNode master = JSON.readTree(body);
          for (JsonNode app : master.get("activeapps")) {
            if ("RUNNING".equals(app.get("state").asText())) {
              runningApp = app.get("name").asText();
              runningAppId = app.get("id").asText();
              aliveWorkers = master.get("aliveworkers").asInt();
            }
          }
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          // The UI may not answer for a moment; the assertions say whether it ever did.
        }
      }
    }
  }

  private static Run submit(List<String> sparkOptions, Path out) throws Exception {
    return run(submitCommand(sparkOptions, out), Path.of(out + ".log"));
  }

  private static List<String> submitCommand(List<String> sparkOptions, Path out) {
    List<String> command = new ArrayList<>(List.of("deploy/submit.sh"));
    command.addAll(sparkOptions);
    command.addAll(List.of("--", "search", "--config", dir.resolve("search.conf").toString(), "--out", out.toString()));
    return command;
  }

  private static Map<String, Map<String, Object>> allRows(Path out) throws IOException {
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    ResultStore.open(out.toString(), new Configuration()).byId().forEach((id, row) -> rows.put(id, row.columns()));
    return rows;
  }

  private static Map<String, Map<String, Object>> rows(Path out) throws IOException {
    return withoutRunColumns(allRows(out));
  }

  private static Map<String, Map<String, Object>> withoutRunColumns(Map<String, Map<String, Object>> rows) {
    Map<String, Map<String, Object>> result = new TreeMap<>();
    rows.forEach((id, row) -> {
      Map<String, Object> values = new TreeMap<>(row);
      SearchDeterminismIT.RUN_COLUMNS.forEach(values::remove);
      result.put(id, values);
    });
    return result;
  }

  private record Run(int code, String log) {}

  private static Run run(List<String> command, Path log) throws Exception {
    Process process = start(command, log);
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "timed out: " + command);
    return new Run(process.exitValue(), Files.readString(log));
  }

  private static Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.putAll(env);
    environment.put("OMP_NUM_THREADS", "1");
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
