package org.depprune.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.depprune.model.BaseModel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The pinned classpath works: Spark tasks deserialise Java lambdas (which break with the Scala
 * 2.12.14 that dl4j-spark pulls in), run DL4J inside executors, and SLF4J logs through log4j2
 * rather than a no-op logger.
 */
class SparkClasspathIT {
  @Test
  void aLocalSparkJobRunsDl4jInItsTasks() {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("depprune-classpath-check")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Long> params =
          sc.parallelize(List.of(2, 4), 2)
              .map(w -> BaseModel.create(new BaseModel.Spec(w, 8, 10, 1, 1e-3, 1.0)).numParams())
              .collect();
      assertEquals(
          List.of(
              BaseModel.create(new BaseModel.Spec(2, 8, 10, 1, 1e-3, 1.0)).numParams(),
              BaseModel.create(new BaseModel.Spec(4, 8, 10, 1, 1e-3, 1.0)).numParams()),
          params);
      assertEquals("2.12.18", scala.util.Properties.versionNumberString());
    } finally {
      spark.stop();
    }
    String loggerFactory = LoggerFactory.getILoggerFactory().getClass().getName();
    assertTrue(loggerFactory.startsWith("org.apache.logging.slf4j"), loggerFactory);
  }
}
