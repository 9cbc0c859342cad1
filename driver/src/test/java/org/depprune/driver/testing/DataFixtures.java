package org.depprune.driver.testing;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;

/**
 * Real data sets written the ways users keep theirs, from Debian's Fashion-MNIST and
 * scikit-learn's digits: the same images as IDX files, as a Parquet table (PNG bytes, pixel
 * arrays), and as an image-folder tree of PNGs; colour images; a CSV table.
 */
public final class DataFixtures {
  /** scikit-learn's digits (Debian's python3-sklearn): 1,797 8x8 images as 64 numbers 0-16 and a label. */
  public static final Path DIGITS = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");

  private DataFixtures() {}

  /**
   * The first {@code n} images of a Fashion-MNIST part ({@code train} or {@code t10k}), in class
   * order (then by position): the order an image-folder tree of them lists in.
   */
  public static LabeledImages fashion(String part, int n) throws IOException {
    LabeledImages all = part.equals("train") ? FashionMnist.train(FashionMnist.DEBIAN_DIR)
        : FashionMnist.test(FashionMnist.DEBIAN_DIR);
    int[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingInt(all::label).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
    return all.select(order);
  }

  /** {@code images} as gzipped IDX files {@code <prefix>-images-idx3-ubyte.gz} and labels in {@code dir}. */
  public static void writeIdx(LabeledImages images, Path dir, String prefix) throws IOException {
    Files.createDirectories(dir);
    SearchFixture.writeIdx(dir, prefix, images.rows(), images.cols(), images.pixelBytes(), images.labelBytes());
  }

  /** Image i as a grey PNG. */
  public static byte[] png(LabeledImages images, int i) {
    BufferedImage image = new BufferedImage(images.cols(), images.rows(), BufferedImage.TYPE_BYTE_GRAY);
    for (int p = 0; p < images.rows() * images.cols(); p++) {
      image.getRaster().setSample(p % images.cols(), p / images.cols(), 0, images.pixel(i, p));
    }
    return encode(image);
  }

  /**
   * Image i tinted by its class into an RGB PNG: the class picks a colour, so the colour carries
   * part of the label (a network needs all three channels to use it).
   */
  public static byte[] tintedPng(LabeledImages images, int i) {
    int label = images.label(i);
    float[] tint = {(label % 3) / 2f, ((label / 3) % 3) / 2f, (label % 2 == 0) ? 1f : 0.3f};
    BufferedImage image = new BufferedImage(images.cols(), images.rows(), BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < images.rows() * images.cols(); p++) {
      int v = images.pixel(i, p);
      int r = Math.round(v * tint[0]);
      int g = Math.round(v * tint[1]);
      int b = Math.round(v * tint[2]);
      image.setRGB(p % images.cols(), p / images.cols(), (r << 16) | (g << 8) | b);
    }
    return encode(image);
  }

  private static byte[] encode(BufferedImage image) {
    return org.depprune.driver.data.Exports.png(image);
  }

  /**
   * {@code images} as an image-folder tree: {@code dir/<class>/<position>.png} (position zero-padded,
   * so the sorted paths list the images in their order); {@code classNames} names the folders.
   */
  public static void writeImageFolder(LabeledImages images, Path dir, List<String> classNames, boolean tinted)
      throws IOException {
    for (int i = 0; i < images.size(); i++) {
      Path file = dir.resolve(classNames.get(images.label(i))).resolve(String.format("%06d.png", i));
      Files.createDirectories(file.getParent());
      Files.write(file, tinted ? tintedPng(images, i) : png(images, i));
    }
  }

  /**
   * {@code images} as a Parquet table written by Spark: {@code id} (the position), {@code label}
   * (int), {@code image} (PNG bytes) and {@code pixels} (the pixels / 255 as an array of floats).
   */
  public static void writeParquet(SparkSession spark, LabeledImages images, String location) {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType)
        .add("label", DataTypes.IntegerType)
        .add("image", DataTypes.BinaryType)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    List<Row> rows = new ArrayList<>();
    int length = images.rows() * images.cols();
    for (int i = 0; i < images.size(); i++) {
      Float[] pixels = new Float[length];
      for (int p = 0; p < length; p++) {
        pixels[p] = images.pixel(i, p) / 255f;
      }
      rows.add(RowFactory.create((long) i, images.label(i), png(images, i), pixels));
    }
    spark.createDataFrame(rows, schema).coalesce(2).write().parquet(location);
  }

  /** scikit-learn's digits as a CSV with a header ({@code p0..p63,digit}); its first {@code n} rows. */
  public static Path writeDigitsCsv(Path file, int n) throws IOException {
    if (!Files.isRegularFile(DIGITS)) {
      throw new IllegalStateException(DIGITS + " is missing: install Debian's package python3-sklearn (bin/test does)");
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.join(",", IntStream.range(0, 64).mapToObj(i -> "p" + i).toList()) + ",digit");
    try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(DIGITS)),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null && lines.size() <= n; line = in.readLine()) {
        if (!line.isBlank()) {
          lines.add(line.trim());
        }
      }
    }
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
    return file;
  }
}
