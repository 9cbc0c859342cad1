package org.depprune.driver.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.depprune.driver.config.DataSpec;

/**
 * An IDX data set (Fashion-MNIST) rewritten, by Spark on the executors, as users keep theirs: a
 * Parquet table ({@code id}, {@code label}, {@code image} as PNG bytes, {@code pixels} as floats in
 * [0, 1]) or an image-folder tree ({@code <label>/<id>.png}), optionally {@code copies} times over
 * with distinct ids (copy c of example i has id {@code c * n + i}), to try the data path at scale.
 */
public final class Exports {
  private Exports() {}

  /** What an export wrote. */
  public record Written(long examples, String path) {}

  /** @param withPng whether to write the {@code image} column too (PNG encoding is most of the work) */
  public static Written idxToParquet(SparkSession spark, String idxDir, String part, int copies, String out,
      int slices, boolean withPng) throws IOException {
    JavaRDD<Decoded> records = copies(idxRecords(spark, idxDir, part, slices), copies, count(spark, idxDir, part));
    JavaRDD<Row> rows = records.map(d -> withPng
        ? RowFactory.create(d.id(), Integer.parseInt(d.label()), png(d.features()), boxed(d.features()))
        : RowFactory.create(d.id(), Integer.parseInt(d.label()), boxed(d.features())));
    StructType schema = new StructType()
        .add("id", DataTypes.LongType)
        .add("label", DataTypes.IntegerType);
    if (withPng) {
      schema = schema.add("image", DataTypes.BinaryType);
    }
    schema = schema.add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    spark.createDataFrame(rows, schema).write().mode("overwrite").parquet(out);
    return new Written(spark.read().parquet(out).count(), out);
  }

  public static Written idxToImageFolder(SparkSession spark, String idxDir, String part, int copies, String out,
      int slices) throws IOException {
    JavaRDD<Decoded> records = copies(idxRecords(spark, idxDir, part, slices), copies, count(spark, idxDir, part));
    var hadoop = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    long written = records.mapPartitions(it -> {
      long n = 0;
      FileSystem fs = new Path(out).getFileSystem(hadoop.value());
      while (it.hasNext()) {
        Decoded d = it.next();
        try (OutputStream o = fs.create(new Path(new Path(out, d.label()), String.format("%07d.png", d.id())), true)) {
          o.write(png(d.features()));
        }
        n++;
      }
      return List.of(n).iterator();
    }).reduce(Long::sum);
    return new Written(written, out);
  }

  private static Sources idx(SparkSession spark, String idxDir) {
    return new Sources(spark, new DataSpec(DataSpec.IDX, idxDir, "", "", 0.1, 0, java.util.Map.of(),
        new DataSpec.Columns("", "label", "", "", List.of()),
        new DataSpec.Image(1, 0, 0, false, "unit", List.of(), List.of()), DataSpec.Corrupt.FAIL, 0, "MEMORY_AND_DISK_SER"));
  }

  private static JavaRDD<Decoded> idxRecords(SparkSession spark, String idxDir, String part, int slices)
      throws IOException {
    Sources sources = idx(spark, idxDir);
    Sources.IdxFiles files = sources.idxFiles(sources.trainPath(), part, "train");
    return sources.decode(sources.trainPath(), part.equals("t10k") ? "test" : "train",
        Layout.image(1, files.rows(), files.cols(), false, false, false, true), slices);
  }

  private static long count(SparkSession spark, String idxDir, String part) throws IOException {
    Sources sources = idx(spark, idxDir);
    return sources.idxFiles(sources.trainPath(), part, "train").count();
  }

  private static JavaRDD<Decoded> copies(JavaRDD<Decoded> records, int copies, long n) {
    return records.flatMap(d -> {
      Iterator<Decoded> each = IntStream.range(0, copies)
          .mapToObj(c -> new Decoded(c * n + d.id(), d.label(), d.features(), d.source(), null)).iterator();
      return each;
    });
  }

  /** A square grey image's floats in [0, 1] as PNG bytes. */
  static byte[] png(float[] pixels) {
    int side = (int) Math.round(Math.sqrt(pixels.length));
    var image = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    for (int p = 0; p < pixels.length; p++) {
      image.getRaster().setSample(p % side, p / side, 0, Math.round(pixels[p] * 255));
    }
    return png(image);
  }

  /** {@code image} as PNG bytes. */
  public static byte[] png(java.awt.image.BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Float[] boxed(float[] values) {
    Float[] out = new Float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

}
