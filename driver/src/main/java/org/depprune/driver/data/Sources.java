package org.depprune.driver.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.depprune.data.FashionMnist;
import org.depprune.data.IdxReader;
import org.depprune.driver.config.DataSpec;

/**
 * One path of a data source as Spark reads it, on the executors: its raw labels (one column, for
 * the class list), the size of its first image, and its records decoded into a {@link Layout}.
 * Formats: {@code idx} (each task reads its own slice of the files), {@code image-folder}
 * (Spark's {@code binaryFile} source; the label is the file's folder), and every DataFrame format
 * ({@code csv} with a header, {@code parquet}, ...) with the columns of {@link DataSpec.Columns}.
 */
final class Sources {
  private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg");

  private final SparkSession spark;
  private final DataSpec spec;
  private final Configuration hadoop;
  private final java.util.Map<String, Dataset<Row>> frames = new java.util.HashMap<>();

  Sources(SparkSession spark, DataSpec spec) {
    this.spark = spark;
    this.spec = spec;
    this.hadoop = spark.sparkContext().hadoopConfiguration();
  }

  /** What an idx path holds: its two files and the record count in their header. */
  record IdxFiles(String images, String labels, int count, int rows, int cols) implements Serializable {}

  boolean idx() {
    return spec.format().equals(DataSpec.IDX);
  }

  boolean imageFolder() {
    return spec.format().equals(DataSpec.IMAGE_FOLDER);
  }

  /** The training path as given, or Debian's Fashion-MNIST directory for the embedded default. */
  String trainPath() {
    return spec.train().isBlank() ? FashionMnist.DEBIAN_DIR.toString() : spec.train();
  }

  /** The test path, or null for none. */
  String testPath() {
    if (spec.test().equals("none")) {
      return null;
    }
    return spec.test().isBlank() ? (idx() ? trainPath() : null) : spec.test();
  }

  /** The idx files under {@code dir} whose names start with {@code prefix} (train or t10k). */
  IdxFiles idxFiles(String dir, String prefix, String key) throws IOException {
    String images = find(dir, prefix + "-images-idx3-ubyte", key);
    String labels = find(dir, prefix + "-labels-idx1-ubyte", key);
    IdxReader.Slice header;
    Path imagesPath = new Path(images);
    try (InputStream in = imagesPath.getFileSystem(hadoop).open(imagesPath)) {
      header = IdxReader.readSlice(in, images, 3, 0, 0);
    }
    IdxReader.Slice labelHeader;
    Path labelsPath = new Path(labels);
    try (InputStream in = labelsPath.getFileSystem(hadoop).open(labelsPath)) {
      labelHeader = IdxReader.readSlice(in, labels, 1, 0, 0);
    }
    if (header.sizes()[0] != labelHeader.sizes()[0]) {
      throw new IllegalArgumentException(images + " holds " + header.sizes()[0] + " images but " + labels + " holds "
          + labelHeader.sizes()[0] + " labels: they are not one data set");
    }
    return new IdxFiles(images, labels, header.sizes()[0], header.sizes()[1], header.sizes()[2]);
  }

  private String find(String dir, String base, String key) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(hadoop);
    for (String name : List.of(base + ".gz", base)) {
      Path candidate = new Path(root, name);
      if (fs.exists(candidate)) {
        return candidate.toString();
      }
    }
    throw new NoSuchFileException(new Path(root, base + ".gz").toString(), null, "no " + base + "[.gz] in " + dir
        + (spec.debianDefault() ? ": install Debian's package dataset-fashion-mnist, or" : ":")
        + " set search.data." + key + " to a directory holding the IDX files");
  }

  /**
   * The DataFrame at {@code path}, its columns checked against the configured ones; made once per
   * path, so Spark lists the files (60,000 of them in an image folder) once, not for the labels,
   * the first image and the records each.
   */
  Dataset<Row> frame(String path, String key) throws IOException {
    Dataset<Row> made = frames.get(path);
    if (made == null) {
      made = newFrame(path, key);
      frames.put(path, made);
    }
    return made;
  }

  private Dataset<Row> newFrame(String path, String key) throws IOException {
    requireExists(path, key);
    Dataset<Row> df;
    if (imageFolder()) {
      df = spark.read().format("binaryFile").option("recursiveFileLookup", "true").options(spec.options()).load(path)
          .select("path", "content");
    } else {
      var reader = spark.read().format(spec.format()).options(spec.options());
      if (spec.format().equals(DataSpec.CSV)) {
        reader = reader.option("header", spec.options().getOrDefault("header", "true"))
            .option("inferSchema", spec.options().getOrDefault("inferSchema", "true"));
      }
      df = reader.load(path);
      List<String> columns = Arrays.asList(df.columns());
      DataSpec.Columns c = spec.columns();
      for (String[] wanted : List.of(new String[] {"id", c.id()}, new String[] {"label", c.label()},
          new String[] {"image", c.image()}, new String[] {"features", c.features()})) {
        if (!wanted[1].isBlank() && !columns.contains(wanted[1])) {
          throw new IllegalArgumentException("search.data.columns." + wanted[0] + " names '" + wanted[1]
              + "', which is not a column of " + path + "; its columns are " + columns);
        }
      }
      for (String name : c.featureList()) {
        if (!columns.contains(name)) {
          throw new IllegalArgumentException("search.data.columns.feature-list names '" + name
              + "', which is not a column of " + path + "; its columns are " + columns);
        }
      }
    }
    return df;
  }

  /** Fails, naming the key, when there is nothing at {@code path}. */
  void requireData(String path, String key) throws IOException {
    if (idx()) {
      idxFiles(path, key.equals("test") ? "t10k" : "train", key);
    } else {
      requireExists(path, key);
    }
  }

  private void requireExists(String path, String key) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(hadoop);
    FileStatus[] matches = fs.globStatus(p);
    if (matches == null || matches.length == 0) {
      throw new NoSuchFileException(path, null, "no data at search.data." + key + ": check the path (a local path,"
          + " hdfs:// or s3a:// URI; globs allowed)");
    }
  }

  /** For image-folder: fails naming the class folders that hold no image. */
  void requireNoEmptyClass(String path) throws IOException {
    Path root = new Path(path);
    FileSystem fs = root.getFileSystem(hadoop);
    List<String> empty = new ArrayList<>();
    for (FileStatus dir : fs.listStatus(root)) {
      if (dir.isDirectory() && !holdsImage(fs, dir.getPath())) {
        empty.add(dir.getPath().getName());
      }
    }
    if (!empty.isEmpty()) {
      throw new IllegalArgumentException("class folders " + empty + " of " + path + " hold no PNG or JPEG image:"
          + " remove them or add images (every class needs examples)");
    }
  }

  private static boolean holdsImage(FileSystem fs, Path dir) throws IOException {
    var files = fs.listFiles(dir, true);
    while (files.hasNext()) {
      if (isImage(files.next().getPath().getName())) {
        return true;
      }
    }
    return false;
  }

  static boolean isImage(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return IMAGE_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  /** The distinct raw labels at {@code path} (only the label column is read). */
  List<String> distinctLabels(String path, String key) throws IOException {
    if (idx()) {
      return List.of(); // IDX labels are class indices: checked record by record
    }
    Dataset<Row> df = frame(path, key);
    if (imageFolder()) {
      String root = new Path(path).toUri().getPath();
      return df.select("path").javaRDD().filter(r -> isImage(r.getString(0)))
          .map(r -> classOf(r.getString(0), root)).distinct().collect();
    }
    return df.select(functions.col(spec.columns().label()).cast("string")).distinct().javaRDD()
        .map(r -> r.isNullAt(0) ? "" : r.getString(0)).filter(s -> !s.isEmpty()).collect();
  }

  /** The class of an image-folder file: the first folder under the root. */
  static String classOf(String file, String root) {
    String path = new Path(file).toUri().getPath();
    String rest = path.startsWith(root) ? path.substring(root.length()) : path;
    String[] parts = rest.replaceFirst("^/+", "").split("/");
    return parts.length > 1 ? parts[0] : "";
  }

  /** Height and width of the first image at {@code path}, for a model that does not record its input size. */
  int[] firstImageSize(String path, String key) throws IOException {
    if (idx()) {
      IdxFiles files = idxFiles(path, "train", key);
      return new int[] {files.rows(), files.cols()};
    }
    Dataset<Row> df = frame(path, key);
    List<Row> first;
    if (imageFolder()) {
      first = df.filter(functions.col("path").rlike("(?i)\\.(png|jpe?g)$")).limit(1).collectAsList();
      if (first.isEmpty()) {
        throw new IllegalArgumentException("no PNG or JPEG image under " + path);
      }
      return size((byte[]) first.get(0).get(1));
    }
    String image = spec.columns().image();
    if (image.isBlank()) {
      throw new IllegalArgumentException("the model does not record its input's height and width, and " + path
          + " has no image column: set search.data.image.height and width");
    }
    first = df.select(image).limit(1).collectAsList();
    Object value = first.isEmpty() ? null : first.get(0).get(0);
    if (value instanceof Row struct) {
      return new int[] {struct.getInt(struct.fieldIndex("height")), struct.getInt(struct.fieldIndex("width"))};
    }
    if (value instanceof byte[] bytes) {
      return size(bytes);
    }
    throw new IllegalArgumentException("the first image of " + path + " is unreadable: set search.data.image.height"
        + " and width");
  }

  private static int[] size(byte[] encoded) throws IOException {
    var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(encoded));
    if (image == null) {
      throw new IllegalArgumentException("the first image is unreadable: set search.data.image.height and width");
    }
    return new int[] {image.getHeight(), image.getWidth()};
  }

  /** The records at {@code path}, decoded into {@code layout} on the executors, in {@code slices} slices. */
  JavaRDD<Decoded> decode(String path, String key, Layout layout, int slices) throws IOException {
    boolean skip = spec.corrupt() == DataSpec.Corrupt.SKIP;
    if (idx()) {
      String prefix = key.equals("test") ? "t10k" : "train";
      IdxFiles files = idxFiles(path, prefix, key);
      return idxRecords(files, layout, slices, skip);
    }
    Dataset<Row> df = frame(path, key);
    if (imageFolder()) {
      String root = new Path(path).toUri().getPath();
      JavaRDD<Row> files = df.filter(functions.col("path").rlike("(?i)\\.(png|jpe?g)$")).orderBy("path").javaRDD();
      return files.zipWithIndex().map(t -> {
        String file = t._1().getString(0);
        try {
          float[] features = Pixels.fromEncoded((byte[]) t._1().get(1), layout);
          return new Decoded(t._2(), classOf(file, root), features, file, null);
        } catch (Pixels.BadRecord e) {
          return bad(t._2(), file, e.getMessage(), skip);
        }
      });
    }
    RowDecoder decoder = RowDecoder.of(df, spec, layout, path, skip);
    String id = spec.columns().id();
    if (!id.isBlank()) {
      int idIndex = df.schema().fieldIndex(id);
      return df.javaRDD().map(row -> decoder.decode(row, idOf(row, idIndex, path, id)));
    }
    return df.javaRDD().zipWithIndex().map(t -> decoder.decode(t._1(), t._2()));
  }

  private static long idOf(Row row, int index, String path, String column) {
    Object v = row.get(index);
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new CorruptRecordException("of " + path, "id column '" + column + "' holds " + v + ", not an integer");
  }

  static Decoded bad(long id, String source, String problem, boolean skip) {
    if (!skip) {
      throw new CorruptRecordException(source, problem);
    }
    return Decoded.bad(id, source, problem);
  }

  private JavaRDD<Decoded> idxRecords(IdxFiles files, Layout layout, int slices, boolean skip) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int per = Math.max(1, (files.count() + slices - 1) / slices);
    List<Integer> chunks = IntStream.range(0, (files.count() + per - 1) / per).boxed().toList();
    var conf = new SerializableConfiguration(hadoop);
    return sc.parallelize(chunks, Math.max(1, chunks.size())).flatMap(chunk -> {
      long first = (long) chunk * per;
      IdxReader.Slice images;
      IdxReader.Slice labels;
      Path imagesPath = new Path(files.images());
      try (InputStream in = imagesPath.getFileSystem(conf.value()).open(imagesPath)) {
        images = IdxReader.readSlice(in, files.images(), 3, first, per);
      }
      Path labelsPath = new Path(files.labels());
      try (InputStream in = labelsPath.getFileSystem(conf.value()).open(labelsPath)) {
        labels = IdxReader.readSlice(in, files.labels(), 1, first, per);
      }
      int pixels = files.rows() * files.cols();
      List<Decoded> out = new ArrayList<>(labels.data().length);
      for (int k = 0; k < labels.data().length; k++) {
        long id = first + k;
        String source = "image " + id + " of " + files.images();
        try {
          float[] features = Pixels.fromGrey(images.data(), k * pixels, files.rows(), files.cols(), layout);
          out.add(new Decoded(id, String.valueOf(labels.data()[k] & 0xff), features, source, null));
        } catch (Pixels.BadRecord e) {
          out.add(bad(id, source, e.getMessage(), skip));
        }
      }
      return out.iterator();
    });
  }

  /** Decodes the rows of a DataFrame: its label, and an image column, a numeric array or vector, or numeric columns. */
  record RowDecoder(int label, int image, boolean struct, int[] numbers, boolean array, Layout layout, String path,
      boolean skip) implements Serializable {

    static RowDecoder of(Dataset<Row> df, DataSpec spec, Layout layout, String path, boolean skip) {
      StructType schema = df.schema();
      DataSpec.Columns c = spec.columns();
      int label = schema.fieldIndex(c.label());
      if (!c.image().isBlank()) {
        DataType type = schema.apply(c.image()).dataType();
        if (!(type instanceof StructType) && !(type instanceof BinaryType)) {
          throw new IllegalArgumentException("search.data.columns.image names '" + c.image() + "' of " + path
              + ", a column of " + type.simpleString() + ": it must hold Spark's image struct or encoded bytes");
        }
        return new RowDecoder(label, schema.fieldIndex(c.image()), type instanceof StructType, null, false, layout,
            path, skip);
      }
      if (!c.features().isBlank()) {
        return new RowDecoder(label, -1, false, new int[] {schema.fieldIndex(c.features())}, true, layout, path, skip);
      }
      List<String> names = c.featureList().isEmpty()
          ? Arrays.stream(schema.fields()).filter(f -> f.dataType() instanceof NumericType)
              .map(f -> f.name()).filter(n -> !n.equals(c.label()) && !n.equals(c.id())).toList()
          : c.featureList();
      if (names.isEmpty()) {
        throw new IllegalArgumentException(path + " has no numeric feature column: set search.data.columns.image,"
            + " features or feature-list");
      }
      for (String name : names) {
        DataType type = schema.apply(name).dataType();
        if (!(type instanceof NumericType)) {
          throw new IllegalArgumentException("feature column '" + name + "' of " + path + " holds "
              + type.simpleString() + ", not numbers: leave it out of search.data.columns.feature-list");
        }
      }
      return new RowDecoder(label, -1, false, names.stream().mapToInt(schema::fieldIndex).toArray(), false, layout,
          path, skip);
    }

    Decoded decode(Row row, long id) {
      String source = "row " + id + " of " + path;
      if (row.isNullAt(label)) {
        return bad(id, source, "no label (null in the label column)", skip);
      }
      String raw = String.valueOf(row.get(label));
      try {
        float[] features = image >= 0 ? imageOf(row) : numbersOf(row);
        return new Decoded(id, raw, features, source, null);
      } catch (Pixels.BadRecord e) {
        return bad(id, source, e.getMessage(), skip);
      }
    }

    private float[] imageOf(Row row) throws Pixels.BadRecord {
      if (row.isNullAt(image)) {
        throw new Pixels.BadRecord("no image (null)");
      }
      return struct ? Pixels.fromSparkImage(row.getStruct(image), layout)
          : Pixels.fromEncoded((byte[]) row.get(image), layout);
    }

    private float[] numbersOf(Row row) throws Pixels.BadRecord {
      double[] values;
      if (array) {
        values = numbers(row.get(numbers[0]));
      } else {
        values = new double[numbers.length];
        for (int k = 0; k < numbers.length; k++) {
          if (row.isNullAt(numbers[k])) {
            throw new Pixels.BadRecord("a missing value in feature column " + k);
          }
          values[k] = ((Number) row.get(numbers[k])).doubleValue();
        }
      }
      if (values.length != layout.features()) {
        throw new Pixels.BadRecord(values.length + " features where the model takes " + layout.features());
      }
      float[] out = new float[values.length];
      if (layout.image() && !layout.flat() && layout.channelsLast()) {
        // the array holds channels first (C, H, W): reorder to H, W, C
        int hw = layout.height() * layout.width();
        for (int i = 0; i < values.length; i++) {
          int k = i / hw;
          int p = i % hw;
          out[p * layout.channels() + k] = (float) values[i];
        }
      } else {
        for (int i = 0; i < values.length; i++) {
          out[i] = (float) values[i];
        }
      }
      return out;
    }

    private static double[] numbers(Object value) throws Pixels.BadRecord {
      if (value == null) {
        throw new Pixels.BadRecord("no features (null)");
      }
      if (value instanceof scala.collection.Seq<?> seq) {
        double[] out = new double[seq.size()];
        for (int i = 0; i < out.length; i++) {
          Object v = seq.apply(i);
          if (v == null) {
            throw new Pixels.BadRecord("a missing value at feature " + i);
          }
          out[i] = ((Number) v).doubleValue();
        }
        return out;
      }
      try { // an ML vector (org.apache.spark.ml.linalg.Vector), without depending on spark-mllib
        return (double[]) value.getClass().getMethod("toArray").invoke(value);
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new Pixels.BadRecord("features of type " + value.getClass().getName() + ", not an array or a vector");
      }
    }
  }
}
