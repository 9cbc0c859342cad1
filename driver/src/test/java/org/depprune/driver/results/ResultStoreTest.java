package org.depprune.driver.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.depprune.driver.testing.RowsForTests;
import org.depprune.trial.Plan;
import org.depprune.trial.Trial;
import org.depprune.trial.TrialResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results store on the local file system: append-only rows, torn lines, versions, compaction. */
class ResultStoreTest {
  @TempDir Path dir;

  ResultStore open() throws Exception {
    return ResultStore.open(dir.toString(), new Configuration());
  }

  Path jsonl() {
    return dir.resolve(ResultStore.JSONL);
  }

  @Test
  void everyPutAppendsOneLineAndALaterLineForTheSameTrialWins() throws Exception {
    ResultStore store = open();
    ResultRow a = RowsForTests.row(0.8, 0.5);
    ResultRow b = RowsForTests.row(0.7, 0.4);
    store.put(a);
    String first = Files.readString(jsonl());
    store.put(b);
    assertTrue(Files.readString(jsonl()).startsWith(first), "the first line is not rewritten");
    store.put(a.withFront(true, 0.79));
    assertEquals(3, Files.readAllLines(jsonl()).size(), "one line per put");

    Map<String, ResultRow> read = open().byId();
    assertEquals(Map.of(a.trialId(), a.withFront(true, 0.79), b.trialId(), b), read);

    store.compact();
    assertEquals(2, Files.readAllLines(jsonl()).size(), "compaction keeps one line per trial");
    assertEquals(read, open().byId(), "and loses none");
  }

  @Test
  void aTornLastLineIsDroppedAndTheFileRewrittenWithoutIt() throws Exception {
    ResultStore store = open();
    ResultRow a = RowsForTests.row(0.8, 0.5);
    ResultRow b = RowsForTests.row(0.7, 0.4);
    store.put(a);
    store.put(b);
    byte[] whole = Files.readAllBytes(jsonl());
    String complete = Files.readAllLines(jsonl()).get(0) + "\n";
    // A kill in the middle of b's append: its line is cut short, without its newline.
    Files.write(jsonl(), java.util.Arrays.copyOf(whole, complete.length() + 40));

    ResultStore reopened = open();
    assertEquals(Map.of(a.trialId(), a), reopened.byId(), "b is gone (it runs again); a is kept");
    assertEquals(complete, Files.readString(jsonl()), "the torn line is no longer in the file");
    reopened.put(b);
    assertEquals(Map.of(a.trialId(), a, b.trialId(), b), open().byId(), "the next row starts on its own line");
  }

  @Test
  void aBrokenLineInTheMiddleIsAnErrorThatNamesIt() throws Exception {
    open().put(RowsForTests.row(0.8, 0.5));
    Files.writeString(jsonl(), "{\"format\":1,\"trial_id\":\n" + Files.readString(jsonl()), StandardCharsets.UTF_8);
    var e = assertThrows(IllegalArgumentException.class, this::open);
    assertTrue(e.getMessage().endsWith(dir + "/results.jsonl:1: not a results row (Unexpected end-of-input within/between"
        + " Object entries)"), e.getMessage());
  }

  @Test
  void anotherFormatVersionIsRefusedWithTheFix() throws Exception {
    open().put(RowsForTests.row(0.8, 0.5));
    Files.writeString(jsonl(), Files.readString(jsonl()).replace("\"format\":1", "\"format\":2"));
    var e = assertThrows(IllegalArgumentException.class, this::open);
    assertTrue(e.getMessage().contains("results.jsonl:1: results format 2 is not supported (this DepPrune reads"
        + " format 1); use a new output directory or the DepPrune version that wrote it"), e.getMessage());
  }

  @Test
  void aRowReadsBackEqualWithItsFailure() throws Exception {
    Trial trial = new Trial(new Plan("taylor", Map.of("stem", 0.3, "dense", 0.2)), "random", 1, 64, -7, 3);
    var failure = new TrialResult.Failure("IllegalStateException: \"quoted\", with a comma",
        "java.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)");
    ResultRow row = new ResultRow(trial, null, failure, new TrialResult.Timings(1, 2, 3, 6),
        new Execution(2, "7", "host", "t0", "t1"), new SearchProvenance("abc", 42, Map.of("depprune", "x", "spark", "y")),
        false, null);
    open().put(row);
    assertEquals(row, open().byId().get(trial.id()));
    assertEquals(List.of(trial.id()), List.copyOf(open().byId().keySet()));
  }

  @Test
  void aDirectoryOfAnotherSearchIsRefused() throws Exception {
    ResultStore store = open();
    store.put(RowsForTests.row(0.8, 0.5)); // config hash "hash"
    store.requireSearch("hash");
    var e = assertThrows(IllegalArgumentException.class, () -> open().requireSearch("other"));
    assertTrue(e.getMessage().contains("holds results of another search config (hash [hash], this config's is other)"),
        e.getMessage());
  }
}
