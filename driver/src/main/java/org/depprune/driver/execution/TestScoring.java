package org.depprune.driver.execution;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.depprune.data.ImageBatchIterator;
import org.depprune.data.LabeledImages;
import org.depprune.model.ModelFiles;
import org.depprune.train.Evaluator;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * The test accuracy of saved trial models, one Spark task each: the front's models are scored
 * once on the test set at the end of a search.
 */
public final class TestScoring {
  private TestScoring() {}

  /** By trial id, the test accuracy of each trial's saved model. */
  public static Map<String, Double> testAccuracy(JavaSparkContext sc, List<String> trialIds, String trialsDir,
      SerializableConfiguration hadoop, LabeledImages test, int threads, String jobGroup) {
    Map<String, Double> accuracy = new LinkedHashMap<>();
    if (trialIds.isEmpty()) {
      return accuracy;
    }
    Broadcast<LabeledImages> images = sc.broadcast(test);
    try {
      sc.setJobGroup(jobGroup, "test accuracy of the Pareto front", true);
      accuracy.putAll(sc.parallelize(trialIds, trialIds.size())
          .mapToPair(id -> new Tuple2<>(id, score(id, trialsDir, hadoop, images.value(), threads)))
          .collectAsMap());
    } finally {
      images.destroy();
    }
    return accuracy;
  }

  private static double score(String trialId, String trialsDir, SerializableConfiguration hadoop,
      LabeledImages test, int threads) throws IOException {
    Nd4j.getEnvironment().setMaxThreads(threads);
    Path path = TrialTask.modelPath(trialsDir, trialId);
    byte[] bytes;
    try (var in = path.getFileSystem(hadoop.value()).open(path)) {
      bytes = in.readAllBytes();
    }
    return Evaluator.accuracy(ModelFiles.load(bytes, path.toString()), ImageBatchIterator.ordered(test, 500));
  }
}
