package org.depprune.driver.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.api.Model;
import org.depprune.data.BatchIterator;
import org.depprune.data.Examples;
import org.depprune.model.ModelFiles;
import org.depprune.train.Evaluator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Accuracy and loss of models on a set of cached partitions (validation or test), one Spark task
 * per partition, so a set of any size is scored where it lives; or, when the set is small enough to
 * be held as one {@link Examples}, on the driver.
 */
public final class Scoring implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int BATCH = 500;

  private final transient JavaRDD<Block> blocks;
  private final long cutoff;
  private final Examples local;

  Scoring(JavaRDD<Block> blocks, long cutoff, Examples local) {
    this.blocks = blocks;
    this.cutoff = cutoff;
    this.local = local;
  }

  /** Correct predictions, examples and summed loss: what the partitions' tasks add up. */
  public record Score(long correct, long examples, double lossSum) implements Serializable {
    Score plus(Score other) {
      return new Score(correct + other.correct, examples + other.examples, lossSum + other.lossSum);
    }

    public double accuracy() {
      return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    public double loss() {
      return examples == 0 ? Double.NaN : lossSum / examples;
    }
  }

  /** The score of {@code model}: on the driver when the set is held there, else one task per partition. */
  public Score score(JavaSparkContext sc, Model model, int threads) {
    if (local != null) {
      return score(model, local, Long.MAX_VALUE, true);
    }
    byte[] bytes = ModelFiles.bytes(model);
    Broadcast<byte[]> shared = sc.broadcast(bytes);
    long last = cutoff;
    try {
      return blocks.map(b -> {
        Nd4j.getEnvironment().setMaxThreads(threads);
        return score(ModelFiles.load(shared.value(), "the scored model"), b.examples(), last, true);
      }).reduce(Score::plus);
    } finally {
      shared.destroy();
    }
  }

  /**
   * By trial id, the accuracy of each saved trial model ({@code dir/<id>.zip}), every model scored
   * in one job whose tasks each load the models once and score their partition.
   */
  public Map<String, Double> accuracy(JavaSparkContext sc, List<String> ids, String dir,
      SerializableConfiguration hadoop, int threads) throws IOException {
    Map<String, Double> out = new LinkedHashMap<>();
    scores(sc, ids, dir, hadoop, threads).forEach((id, score) -> out.put(id, score.accuracy()));
    return out;
  }

  /** By trial id, the {@link Score} (correct predictions out of examples) of each saved trial model, as {@link #accuracy}. */
  public Map<String, Score> scores(JavaSparkContext sc, List<String> ids, String dir,
      SerializableConfiguration hadoop, int threads) throws IOException {
    Map<String, Score> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    if (local != null) {
      for (String id : ids) {
        out.put(id, score(load(dir, id, hadoop), local, Long.MAX_VALUE, false));
      }
      return out;
    }
    long last = cutoff;
    Map<String, Score> scores = blocks.map(b -> {
      Nd4j.getEnvironment().setMaxThreads(threads);
      Map<String, Score> byId = new HashMap<>();
      for (String id : ids) {
        byId.put(id, score(load(dir, id, hadoop), b.examples(), last, false));
      }
      return byId;
    }).reduce((a, b) -> {
      Map<String, Score> sum = new HashMap<>(a);
      b.forEach((id, s) -> sum.merge(id, s, Score::plus));
      return sum;
    });
    ids.forEach(id -> out.put(id, scores.get(id)));
    return out;
  }

  private static Model load(String dir, String id, SerializableConfiguration hadoop) throws IOException {
    Path path = new Path(dir, id + ".zip");
    try (InputStream in = path.getFileSystem(hadoop.value()).open(path)) {
      return ModelFiles.load(in.readAllBytes(), path.toString());
    }
  }

  private static Score score(Model model, Examples examples, long cutoff, boolean withLoss) {
    Examples scored = SearchData.upTo(examples, cutoff);
    if (scored.size() == 0) {
      return new Score(0, 0, 0);
    }
    double accuracy = Evaluator.accuracy(model, BatchIterator.ordered(scored, BATCH));
    double loss = withLoss ? Evaluator.loss(model, BatchIterator.ordered(scored, BATCH)) : 0;
    return new Score(Math.round(accuracy * scored.size()), scored.size(), loss * scored.size());
  }
}
