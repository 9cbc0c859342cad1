package org.depprune.driver.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.depprune.data.LabeledImages;
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
  void anEpochsMinibatchesCoverTheSplitOnceInASeededOrder() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int n = 50;
    byte[] pixels = new byte[n * 4];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      pixels[i * 4] = (byte) i; // image i is identified by its first pixel
      labels[i] = (byte) (i % 10);
    }
    var images = sc.broadcast(new LabeledImages(2, 2, 10, pixels, labels));
    int[] split = java.util.stream.IntStream.range(5, 45).toArray();
    try {
      List<int[]> first = FinalFinetune.epochBatches(split, 16, 7);
      assertEquals(List.of(16, 16, 8), first.stream().map(b -> b.length).toList());
      int[] seen = first.stream().flatMapToInt(java.util.Arrays::stream).toArray();
      int[] sorted = seen.clone();
      java.util.Arrays.sort(sorted);
      assertArrayEquals(split, sorted, "every training image once, no validation image");
      assertArrayEquals(seen, FinalFinetune.epochBatches(split, 16, 7).stream().flatMapToInt(java.util.Arrays::stream).toArray());
      assertNotEquals(java.util.Arrays.toString(seen), java.util.Arrays.toString(
          FinalFinetune.epochBatches(split, 16, 8).stream().flatMapToInt(java.util.Arrays::stream).toArray()));

      List<DataSet> built = FinalFinetune.minibatches(sc, images, first, 2).collect();
      assertEquals(List.of(16L, 16L, 8L), built.stream().map(d -> d.getFeatures().size(0)).toList());
      assertArrayEquals(seen, firstPixels(built), "the tasks build the minibatches of those images");
    } finally {
      images.destroy();
    }
  }

  private static int[] firstPixels(List<DataSet> batches) {
    return batches.stream().flatMapToInt(d -> {
      INDArray f = d.getFeatures().reshape(d.getFeatures().size(0), 4);
      return java.util.stream.IntStream.range(0, (int) f.size(0)).map(i -> Math.round(f.getFloat(i, 0) * 255));
    }).toArray();
  }
}
