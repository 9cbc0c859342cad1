package org.depprune.driver.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real {@code local[2]} Spark session per test class (as Spark's own SharedSparkSession). */
public abstract class SharedSparkSession {
  protected static SparkSession spark;

  @BeforeAll
  public static void startSpark() {
    spark = session("local[2]");
  }

  @AfterAll
  public static void stopSpark() {
    spark.stop();
    spark = null;
  }

  public static SparkSession session(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("depprune-test")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
