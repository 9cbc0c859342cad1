package org.depprune.driver.config;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a search's examples come from and how they become network inputs ({@code search.data},
 * documented key by key in {@code conf/search-reference.conf}). Spark reads the data on the
 * executors; the driver sees only counts, the label list and small statistics.
 *
 * @param format {@code idx}, {@code image-folder}, {@code csv}, {@code parquet} or any other format
 *     Spark reads as a DataFrame, by name ({@code json}, {@code orc}, ...)
 * @param train the training data (a path or Hadoop URI, globs allowed); for {@code idx} a directory
 *     holding {@code train-*} IDX files, empty for Debian's Fashion-MNIST
 * @param validation a separate validation set, or empty to split it off the training data
 * @param test a test set, or empty for none ({@code idx}: the {@code t10k-*} files beside the
 *     training files; {@code none} for none)
 * @param validationFraction the share of the training data held out for validation when there is no
 *     validation path and the model records no split
 * @param splitSeed the seed of that split and of the partitions (0: {@code search.seed})
 * @param options Spark reader options ({@code spark.read().options(...)})
 * @param corrupt {@code fail} or {@code skip} (counted and reported)
 * @param broadcastValidationMb the largest validation set (decoded floats) that is broadcast to the
 *     executors; a larger one is scored from its cached partitions
 * @param storageLevel how the decoded partitions are cached: a Spark {@code StorageLevel} name
 */
public record DataSpec(
    String format,
    String train,
    String validation,
    String test,
    double validationFraction,
    long splitSeed,
    Map<String, String> options,
    Columns columns,
    Image image,
    Corrupt corrupt,
    int broadcastValidationMb,
    String storageLevel) {

  /** The formats DepPrune reads itself; any other name goes to Spark's DataFrame reader. */
  public static final String IDX = "idx";
  public static final String IMAGE_FOLDER = "image-folder";
  public static final String CSV = "csv";

  /** What to do with a record that cannot be decoded. */
  public enum Corrupt {
    /** Stop with an error that names the record (file or row). */
    FAIL,
    /** Leave it out, count it, and report the count in the summary and the report. */
    SKIP
  }

  /**
   * @param id an id column (a record's identity and order); empty: the source's row order
   * @param label the label column (integer class indices, or strings, sorted into classes)
   * @param image a column of Spark's image struct or of encoded image bytes (PNG, JPEG)
   * @param features a column of numeric arrays or ML vectors
   * @param featureList numeric columns, one feature each (csv with no columns given: every column
   *     but the label and the id)
   */
  public record Columns(String id, String label, String image, String features, List<String> featureList) {
    public Columns {
      featureList = List.copyOf(featureList);
    }
  }

  /**
   * @param channels 1 or 3; 0: the model's
   * @param height image height; 0: the model's, else the data's
   * @param width image width; 0: the model's, else the data's
   * @param resize scale images of another size to height x width (bilinear) instead of refusing them
   * @param normalization {@code unit} (pixel / 255), {@code standard} ((pixel / 255 - mean) / std
   *     per channel) or {@code none} (numbers as they are: tabular data)
   * @param mean per-channel means for {@code standard}; empty: computed on the training split
   * @param std per-channel standard deviations, as {@code mean}
   */
  public record Image(int channels, int height, int width, boolean resize, String normalization, List<Double> mean,
      List<Double> std) {
    public Image {
      mean = List.copyOf(mean);
      std = List.copyOf(std);
    }
  }

  /** Whether this is the embedded default: Debian's Fashion-MNIST IDX files. */
  public boolean debianDefault() {
    return format.equals(IDX) && train.isBlank();
  }

  static DataSpec read(Config c, SearchConfigChecks check) {
    Map<String, String> options = new TreeMap<>();
    c.getConfig("data.options").entrySet().forEach(e -> options.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    DataSpec spec = new DataSpec(
        c.getString("data.format"),
        c.getString("data.train"),
        c.getString("data.validation"),
        c.getString("data.test"),
        c.getDouble("data.validation-fraction"),
        c.getLong("data.split-seed"),
        Map.copyOf(options),
        new Columns(c.getString("data.columns.id"), c.getString("data.columns.label"),
            c.getString("data.columns.image"), c.getString("data.columns.features"),
            c.getStringList("data.columns.feature-list")),
        new Image(c.getInt("data.image.channels"), c.getInt("data.image.height"), c.getInt("data.image.width"),
            c.getBoolean("data.image.resize"), c.getString("data.image.normalization"),
            c.getDoubleList("data.image.mean"), c.getDoubleList("data.image.std")),
        corrupt(c, check),
        c.getInt("data.broadcast-validation-mb"),
        c.getString("data.storage-level"));
    check.that(!spec.format().isBlank(), "data.format", "must name a format: idx, image-folder, csv, parquet, ...");
    check.that(spec.validationFraction() > 0 && spec.validationFraction() < 1, "data.validation-fraction",
        "must be in (0, 1)");
    check.that(!spec.format().equals(IDX) || !spec.train().isBlank() || spec.validation().isBlank(), "data.validation",
        "needs data.train too");
    check.that(!spec.columns().label().isBlank(), "data.columns.label", "must name the label column");
    int sources = (spec.columns().image().isBlank() ? 0 : 1) + (spec.columns().features().isBlank() ? 0 : 1)
        + (spec.columns().featureList().isEmpty() ? 0 : 1);
    check.that(sources <= 1, "data.columns", "takes one of image, features and feature-list, not " + sources);
    check.that(List.of(0, 1, 3).contains(spec.image().channels()), "data.image.channels", "must be 1 or 3 (0: the model's)");
    check.that(spec.image().height() >= 0 && spec.image().width() >= 0, "data.image",
        "height and width must be >= 0 (0: the model's)");
    check.that(List.of("unit", "standard", "none").contains(spec.image().normalization()), "data.image.normalization",
        "must be unit, standard or none");
    check.that(spec.image().mean().size() == spec.image().std().size(), "data.image.std",
        "must have as many values as data.image.mean");
    check.that(spec.image().std().stream().allMatch(s -> s > 0), "data.image.std", "must be > 0");
    check.that(spec.broadcastValidationMb() >= 0, "data.broadcast-validation-mb", "must be >= 0");
    check.that(List.of("MEMORY_AND_DISK_SER", "MEMORY_AND_DISK", "DISK_ONLY", "MEMORY_ONLY_SER", "MEMORY_ONLY")
        .contains(spec.storageLevel()), "data.storage-level", "must be MEMORY_AND_DISK_SER, MEMORY_AND_DISK,"
        + " DISK_ONLY, MEMORY_ONLY_SER or MEMORY_ONLY");
    return spec;
  }

  private static Corrupt corrupt(Config c, SearchConfigChecks check) {
    String value = c.getString("data.corrupt");
    check.that(value.equals("fail") || value.equals("skip"), "data.corrupt", "must be fail or skip");
    return Corrupt.valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }

  /** A value check that names the key and where it was set. */
  @FunctionalInterface
  interface SearchConfigChecks {
    void that(boolean ok, String key, String problem);
  }
}
