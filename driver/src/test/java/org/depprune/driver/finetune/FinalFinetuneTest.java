package org.depprune.driver.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.depprune.data.Examples;
import org.depprune.driver.data.Block;
import org.depprune.driver.results.ResultRow;
import org.depprune.driver.testing.RowsForTests;
import org.depprune.driver.testing.SharedSparkSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The final finetune's choices and minibatches (the whole finetune is {@link FinalFinetuneIT}). */
class FinalFinetuneTest extends SharedSparkSession {
  @Test
  void eachBudgetTakesTheMostAccuratePlanUnderIt() {
    ResultRow small = RowsForTests.row(0.70, 0.20);
    ResultRow middle = RowsForTests.row(0.80, 0.35);
    ResultRow large = RowsForTests.row(0.90, 0.60);
    List<ResultRow> front = List.of(small, middle, large);

    Map<ResultRow, Double> chosen = FinalFinetune.choose(front, List.of(0.5, 0.3, 1.0));
    assertEquals(List.of(small, middle, large), List.copyOf(chosen.keySet()));
    assertEquals(List.of(0.3, 0.5, 1.0), List.copyOf(chosen.values()));

    // Two budgets with the same best plan finetune it once; a budget under every plan picks none.
    chosen = FinalFinetune.choose(front, List.of(0.1, 0.4, 0.45));
    assertEquals(Map.of(middle, 0.4), chosen);
  }

  @Test
  void anEpochsMinibatchesCoverEveryPartitionOnceInASeededOrder() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<int[]> first = FinalFinetune.epochBatches(40, 16, 7);
    assertEquals(List.of(16, 16, 8), first.stream().map(b -> b.length).toList());
    int[] seen = first.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    int[] sorted = seen.clone();
    java.util.Arrays.sort(sorted);
    assertArrayEquals(java.util.stream.IntStream.range(0, 40).toArray(), sorted, "every example once");
    assertArrayEquals(seen, FinalFinetune.epochBatches(40, 16, 7).stream().flatMapToInt(java.util.Arrays::stream).toArray());
    assertNotEquals(java.util.Arrays.toString(seen), java.util.Arrays.toString(
        FinalFinetune.epochBatches(40, 16, 8).stream().flatMapToInt(java.util.Arrays::stream).toArray()));

    // two cached partitions of 30 and 20 examples; example id i has i / 255 as its first feature
    var blocks = sc.parallelize(List.of(block(0, 30), block(30, 20)), 2);
    int[] perPartition = {30, 20};
    List<Integer> ids = new java.util.ArrayList<>();
    for (int round = 0; round < 2; round++) { // 2 batches of 8 from each partition per round
      List<DataSet> built = FinalFinetune.minibatches(blocks, perPartition, 8, 7, 2 * round, 2).collect();
      for (int id : firstPixels(built)) {
        ids.add(id);
      }
    }
    assertEquals(50, ids.size(), "each partition's examples once in the epoch");
    assertEquals(java.util.stream.IntStream.range(0, 50).boxed().toList(), ids.stream().sorted().toList());
    List<DataSet> again = FinalFinetune.minibatches(blocks, perPartition, 8, 7, 0, 2).collect();
    assertArrayEquals(ids.subList(0, 32).stream().mapToInt(Integer::intValue).toArray(), firstPixels(again),
        "the same seed, the same minibatches: round 0 is 2 x 8 of each partition");
  }

  private static Block block(int firstId, int n) {
    long[] ids = new long[n];
    int[] labels = new int[n];
    float[] features = new float[n * 4];
    for (int i = 0; i < n; i++) {
      ids[i] = firstId + i;
      labels[i] = i % 10;
      features[i * 4] = (firstId + i) / 255f;
    }
    return new Block(new Examples(new long[] {4}, 10, ids, labels, features), 0, List.of());
  }

  private static int[] firstPixels(List<DataSet> batches) {
    return batches.stream().flatMapToInt(d -> {
      INDArray f = d.getFeatures().reshape(d.getFeatures().size(0), 4);
      return java.util.stream.IntStream.range(0, (int) f.size(0)).map(i -> Math.round(f.getFloat(i, 0) * 255));
    }).toArray();
  }
}
