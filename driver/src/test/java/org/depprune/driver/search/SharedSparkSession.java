package org.depprune.driver.search;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real {@code local[2]} Spark session per test class (as Spark's own SharedSparkSession). */
abstract class SharedSparkSession {
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = session("local[2]");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
    spark = null;
  }

  static SparkSession session(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("depprune-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
