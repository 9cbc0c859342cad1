package org.depprune.driver.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.depprune.data.Examples;
import org.depprune.data.SplitSpec;
import org.depprune.driver.config.DataSpec;
import org.depprune.network.ExpectedInput;
import org.depprune.network.Network;
import scala.Tuple2;

/**
 * A search's data, read, decoded and cached by Spark on the executors: the training data as
 * {@code partitions} cached partitions (one {@link Block} each; a trial's task runs on the one its
 * plan picks, where it is cached), the validation data as further cached partitions (and, when small
 * enough, as one broadcastable {@link Examples}), and the test data, if any, as its own cached
 * partitions. The driver holds only counts, the class list and normalisation statistics.
 *
 * <p>Before Spark reads any record, the data's example shape and classes are checked against the
 * model: a mismatch is an error naming both and the config key that changes it.
 */
public final class SearchData implements AutoCloseable {
  private final JavaRDD<Block> blocks;
  private final int partitions;
  private final int validationPartitions;
  private final Examples validation;
  private final long validationCutoff;
  private final long earlyCutoff;
  private final long earlyScored;
  private final JavaRDD<Block> test;
  private final long testCutoff;
  private final Labels labels;
  private final Layout layout;
  private final DataDescription description;

  private SearchData(JavaRDD<Block> blocks, int partitions, int validationPartitions, Examples validation,
      long validationCutoff, long earlyCutoff, long earlyScored, JavaRDD<Block> test, long testCutoff, Labels labels,
      Layout layout, DataDescription description) {
    this.blocks = blocks;
    this.partitions = partitions;
    this.validationPartitions = validationPartitions;
    this.validation = validation;
    this.validationCutoff = validationCutoff;
    this.earlyCutoff = earlyCutoff;
    this.earlyScored = earlyScored;
    this.test = test;
    this.testCutoff = testCutoff;
    this.labels = labels;
    this.layout = layout;
    this.description = description;
  }

  /**
   * Reads the data of {@code spec} for {@code model}.
   *
   * @param recorded the train / validation split the model records, if any
   * @param partitionSeed the seed of the training partitions ({@code search.seed})
   * @param validationExamples 0, or how many validation examples (the lowest ids) trials are scored on
   * @param earlyValidationExamples 0, or how many of those (the lowest ids) the screening rounds score
   * @param testExamples 0, or how many test examples (the lowest ids) are scored at the end
   */
  public static SearchData load(SparkSession spark, DataSpec spec, Model model, Optional<SplitSpec> recorded,
      int partitions, long partitionSeed, int validationExamples, int earlyValidationExamples, int testExamples)
      throws IOException {
    Sources sources = new Sources(spark, spec);
    String train = sources.trainPath();
    long classes = Network.of(model).classes();
    if (classes < 1) {
      throw new IllegalArgumentException("the model's output layer does not say how many classes it has (a loss layer"
          + " without units?): DepPrune searches classifiers whose last layer has one output per class");
    }
    sources.requireData(train, "train");
    Layout layout = layout(sources, spec, ExpectedInput.of(model), train);

    if (sources.imageFolder()) {
      sources.requireNoEmptyClass(train);
    }
    Labels labels = sources.idx()
        ? new Labels(IntStream.range(0, (int) classes).mapToObj(String::valueOf).toList(), true)
        : Labels.of(sources.distinctLabels(train, "train"), (int) classes);
    if (!spec.validation().isBlank()) {
      labels.requireKnown(sources.distinctLabels(spec.validation(), "validation"), "validation data");
    }
    String testPath = sources.testPath();
    if (testPath != null && !sources.idx()) {
      labels.requireKnown(sources.distinctLabels(testPath, "test"), "test data");
    }

    long seed = spec.splitSeed() != 0 ? spec.splitSeed() : partitionSeed;
    SplitPlan split = splitPlan(sources, spec, recorded, train, partitions, partitionSeed, seed);
    int vk = partitions;
    JavaRDD<Decoded> decoded = sources.decode(train, "train", layout, partitions);
    JavaPairRDD<Integer, Decoded> keyed = decoded.mapToPair(d -> {
      int p = split.partition(d.id());
      return new Tuple2<>(p == SplitPlan.VALIDATION ? partitions + hash(d.id(), vk) : p, d);
    });
    if (split.mode() == SplitPlan.Mode.PATHS) {
      keyed = keyed.union(sources.decode(spec.validation(), "validation", layout, partitions)
          .mapToPair(d -> new Tuple2<>(partitions + hash(d.id(), vk), d)));
    }
    Normalization norm = Normalization.of(spec.image(), layout, keyed, partitions);
    boolean skip = spec.corrupt() == DataSpec.Corrupt.SKIP;
    StorageLevel storage = StorageLevel.fromString(spec.storageLevel());
    JavaRDD<Block> blocks = pack(keyed, partitions + vk, labels, layout, norm, skip, storage);
    List<long[]> counts = counts(blocks);
    List<String> samples = new ArrayList<>(blocks.flatMap(b -> b.skippedSamples().iterator()).take(Block.SAMPLES));
    long trainSize = IntStream.range(0, partitions).mapToLong(p -> counts.get(p)[0]).sum();
    long validationSize = IntStream.range(partitions, partitions + vk).mapToLong(p -> counts.get(p)[0]).sum();
    if (trainSize == 0 || validationSize == 0) {
      throw new IllegalArgumentException("the data has " + trainSize + " training and " + validationSize
          + " validation examples after the split (" + split.describe() + "): both need some");
    }
    Map<String, Long> skipped = new LinkedHashMap<>();
    skipped.put("train+validation", counts.stream().mapToLong(c -> c[1]).sum());

    // The validation examples trials are scored on: the lowest ids, up to validation-examples.
    JavaRDD<Block> validationBlocks = range(blocks, partitions, partitions + vk);
    long cutoff = cutoff(validationBlocks, validationExamples);
    long scored = validationExamples == 0 ? validationSize : Math.min(validationExamples, validationSize);
    long earlyScored = earlyValidationExamples == 0 ? scored : Math.min(earlyValidationExamples, scored);
    long earlyCutoff = earlyScored == scored ? cutoff : cutoff(validationBlocks, (int) earlyScored);
    Examples local = null;
    if (scored * layout.features() * 4 <= (long) spec.broadcastValidationMb() << 20) {
      // only the scored examples travel to the driver: each partition's ids up to the cutoff
      List<Examples> parts = validationBlocks.map(b -> upTo(b.examples(), cutoff)).collect();
      local = sorted(Examples.concat(layout.exampleShape(), labels.names().size(), parts));
    }

    JavaRDD<Block> test = null;
    long testCutoff = Long.MAX_VALUE;
    long testSize = 0;
    if (testPath != null) {
      JavaPairRDD<Integer, Decoded> testKeyed = sources.decode(testPath, "test", layout, partitions)
          .mapToPair(d -> new Tuple2<>(hash(d.id(), partitions), d));
      test = pack(testKeyed, partitions, labels, layout, norm, skip, storage);
      List<long[]> testCounts = counts(test);
      samples.addAll(test.flatMap(b -> b.skippedSamples().iterator()).take(Block.SAMPLES));
      testSize = testCounts.stream().mapToLong(c -> c[0]).sum();
      skipped.put("test", testCounts.stream().mapToLong(c -> c[1]).sum());
      testCutoff = cutoff(test, testExamples);
      testSize = testExamples == 0 ? testSize : Math.min(testExamples, testSize);
    }
    var description = new DataDescription(spec.format(), train, spec.validation(), testPath == null ? "" : testPath,
        split, split.describe(), trainSize, validationSize, scored, testSize,
        IntStream.range(0, partitions).mapToObj(p -> counts.get(p)[0]).toList(), labels.names(),
        Arrays.stream(layout.exampleShape()).boxed().toList(), layout.toString(), spec.image().normalization(),
        norm.meanList(), norm.stdList(), local != null ? "broadcast" : "partitions", skipped,
        List.copyOf(samples.subList(0, Math.min(samples.size(), Block.SAMPLES))));
    return new SearchData(blocks, partitions, vk, local, cutoff, earlyCutoff, earlyScored, test, testCutoff, labels,
        layout, description);
  }

  /**
   * Each block's examples and skipped records: the job that reads, decodes and caches the data
   * (a corrupt record under {@code fail} stops it with its clear error).
   */
  private static List<long[]> counts(JavaRDD<Block> blocks) {
    try {
      return blocks.map(b -> new long[] {b.examples().size(), b.skipped()}).collect();
    } catch (Exception e) { // SparkException is checked, though Scala does not declare it
      throw unwrap(e);
    }
  }

  /** How examples are laid out: from the config, else the model, else the data. */
  private static Layout layout(Sources sources, DataSpec spec, Optional<ExpectedInput> expected, String train)
      throws IOException {
    DataSpec.Image image = spec.image();
    boolean scale = !image.normalization().equals("none");
    boolean channelsLast = expected.map(e -> e.format() == CNN2DFormat.NHWC).orElse(false);
    DataSpec.Columns columns = spec.columns();
    boolean imageData = sources.idx() || sources.imageFolder() || !columns.image().isBlank();
    boolean modelTakesImages = expected.map(ExpectedInput::image).orElse(imageData);
    Layout layout;
    if (imageData || modelTakesImages) { // numbers (an array, columns) for an image model are its pixels
      int channels = image.channels() > 0 ? image.channels()
          : expected.filter(ExpectedInput::image).map(e -> (int) e.channels()).orElse(1);
      int height = image.height() > 0 ? image.height() : expected.map(e -> (int) e.height()).orElse(0);
      int width = image.width() > 0 ? image.width() : expected.map(e -> (int) e.width()).orElse(0);
      if (height == 0 || width == 0) {
        int[] size = sources.firstImageSize(train, "train");
        height = height == 0 ? size[0] : height;
        width = width == 0 ? size[1] : width;
      }
      layout = Layout.image(channels, height, width, channelsLast, !modelTakesImages, image.resize(),
          scale && imageData);
    } else {
      int features = expected.filter(e -> !e.image()).map(e -> (int) e.features())
          .orElseThrow(() -> new IllegalArgumentException("the model's first layer does not say how many features it"
              + " takes: DepPrune needs a dense first layer for tabular data"));
      layout = Layout.vector(features);
    }
    long[] shape = layout.channelsFirstShape();
    expected.ifPresent(e -> e.check(shape, "set search.data.image.channels, height and width (with resize = true to"
        + " scale the images), or search.data.columns to the model's input"));
    return layout;
  }

  private static SplitPlan splitPlan(Sources sources, DataSpec spec, Optional<SplitSpec> recorded, String train,
      int partitions, long partitionSeed, long seed) throws IOException {
    if (!spec.validation().isBlank()) {
      return new SplitPlan(SplitPlan.Mode.PATHS, 0, 0, 0, seed, partitionSeed, partitions);
    }
    if (recorded.isPresent() && spec.columns().id().isBlank()) {
      long n = sources.idx() ? sources.idxFiles(train, "train", "train").count()
          : sources.frame(train, "train").count();
      SplitSpec r = recorded.get();
      if (r.validationExamples() >= n) {
        throw new IllegalArgumentException("the base model's recorded split holds out " + r.validationExamples()
            + " examples but " + train + " holds " + n + ": point search.data.train at the data the model was"
            + " trained on, or give a separate validation set (search.data.validation)");
      }
      return new SplitPlan(SplitPlan.Mode.RECORDED, n, r.validationExamples(), 0, r.seed(), partitionSeed, partitions);
    }
    return new SplitPlan(SplitPlan.Mode.FRACTION, 0, 0, spec.validationFraction(), seed, partitionSeed, partitions);
  }

  static int hash(long id, int buckets) {
    return (int) Long.remainderUnsigned(SplitPlan.mix(0x5DEECE66DL, id), buckets);
  }

  /** The keyed records as {@code count} cached blocks: partition p holds the records keyed p, sorted by id. */
  private static JavaRDD<Block> pack(JavaPairRDD<Integer, Decoded> keyed, int count, Labels labels, Layout layout,
      Normalization norm, boolean skip, StorageLevel storage) {
    long[] shape = layout.exampleShape();
    int classes = labels.names().size();
    return keyed.partitionBy(new Exact(count)).mapPartitions(records -> {
      List<Decoded> good = new ArrayList<>();
      long skipped = 0;
      List<String> samples = new ArrayList<>();
      while (records.hasNext()) {
        Decoded d = records.next()._2();
        if (d.ok() && labels.index(d.label()) < 0) {
          d = Sources.bad(d.id(), d.source(), "label '" + d.label() + "' is not one of the classes " + labels.names(),
              skip);
        }
        if (!d.ok()) {
          skipped++;
          if (samples.size() < Block.SAMPLES) {
            samples.add(d.source() + ": " + d.problem());
          }
          continue;
        }
        good.add(d);
      }
      good.sort(Comparator.comparingLong(Decoded::id));
      long[] ids = new long[good.size()];
      int[] ys = new int[good.size()];
      float[][] xs = new float[good.size()][];
      for (int i = 0; i < good.size(); i++) {
        Decoded d = good.get(i);
        ids[i] = d.id();
        ys[i] = labels.index(d.label());
        xs[i] = norm.applyInPlace(d.features(), layout); // the decoded array itself: no second copy
      }
      return List.of(new Block(new Examples(shape, classes, ids, ys, xs), skipped, samples)).iterator();
    }, true).persist(storage);
  }

  /** Partitions {@code [from, to)} of {@code rdd}, where they are cached. */
  static JavaRDD<Block> range(JavaRDD<Block> rdd, int from, int to) {
    var pruned = PartitionPruningRDD.create(rdd.rdd(), new PartitionRange(from, to));
    return JavaRDD.fromRDD(pruned, scala.reflect.ClassTag$.MODULE$.apply(Block.class));
  }

  /** The id of the {@code n}-th lowest id among {@code blocks} (all: Long.MAX_VALUE). */
  private static long cutoff(JavaRDD<Block> blocks, int n) {
    if (n == 0) {
      return Long.MAX_VALUE;
    }
    List<Long> lowest = blocks.flatMap(b -> IntStream.range(0, b.examples().size())
        .mapToObj(i -> b.examples().id(i)).iterator()).takeOrdered(n);
    return lowest.isEmpty() ? Long.MAX_VALUE : lowest.get(lowest.size() - 1);
  }

  /** The examples whose id is at most {@code cutoff}. */
  static Examples upTo(Examples examples, long cutoff) {
    return cutoff == Long.MAX_VALUE ? examples
        : examples.select(IntStream.range(0, examples.size()).filter(i -> examples.id(i) <= cutoff).toArray());
  }

  private static Examples sorted(Examples examples) {
    int[] order = IntStream.range(0, examples.size()).boxed()
        .sorted(Comparator.comparingLong(examples::id)).mapToInt(Integer::intValue).toArray();
    return examples.select(order);
  }

  /** The clear error inside a failed Spark job (a corrupt record, a missing file), or the job's own. */
  static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException clear) {
        return new IllegalArgumentException(clear.getMessage(), e);
      }
      if (t instanceof java.nio.file.NoSuchFileException missing) {
        return new IllegalArgumentException(missing.getMessage(), e);
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }

  /** The training block of partition {@code p} as a one-partition RDD, where it is cached. */
  public JavaRDD<Block> trainPartition(int p) {
    return range(blocks, p, p + 1);
  }

  /**
   * The training blocks of partitions {@code first} .. {@code first + count - 1} (wrapping round
   * the training partitions) as one Spark partition, each block with its partition's index: a
   * task over it reads them all, where they are cached or from their executors.
   */
  public JavaRDD<scala.Tuple2<Integer, Block>> trainPartitions(int first, int count) {
    int n = Math.min(count, partitions);
    java.util.Set<Integer> chosen = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      chosen.add((first + i) % partitions);
    }
    JavaRDD<scala.Tuple2<Integer, Block>> tagged = blocks.mapPartitionsWithIndex((index, it) -> {
      List<scala.Tuple2<Integer, Block>> out = new ArrayList<>();
      it.forEachRemaining(b -> out.add(new scala.Tuple2<>(index, b)));
      return out.iterator();
    }, true);
    var pruned = PartitionPruningRDD.create(tagged.rdd(), new PartitionSet(chosen));
    JavaRDD<scala.Tuple2<Integer, Block>> picked = JavaRDD.fromRDD(pruned,
        scala.reflect.ClassTag$.MODULE$.apply(scala.Tuple2.class));
    return n == 1 ? picked : picked.coalesce(1);
  }

  /**
   * {@code blocks} in a trial's reading order: partition {@code first} first, then the ones after
   * it, wrapping round to the lowest indices.
   */
  public static List<Block> inReadingOrder(List<scala.Tuple2<Integer, Block>> blocks, int first) {
    return blocks.stream()
        .sorted(Comparator.comparingLong(t -> t._1() >= first ? t._1() - first : (long) t._1() + Integer.MAX_VALUE))
        .map(scala.Tuple2::_2).toList();
  }

  /** How many consecutive training partitions, from {@code first}, hold at least {@code examples} examples (all at most). */
  public int partitionsFor(int first, long examples) {
    List<Long> sizes = description.partitionSizes();
    long held = 0;
    for (int i = 0; i < sizes.size(); i++) {
      held += sizes.get((first + i) % sizes.size());
      if (held >= examples) {
        return i + 1;
      }
    }
    return sizes.size();
  }

  /** Every training block. */
  public JavaRDD<Block> train() {
    return range(blocks, 0, partitions);
  }

  /** The validation examples as one set when they are broadcast; null when they are scored from partitions. */
  public Examples broadcastValidation() {
    return validation;
  }

  /** The validation blocks (for scoring from partitions), with the highest id scored. */
  public Scoring validationScoring() {
    return new Scoring(range(blocks, partitions, partitions + validationPartitions), validationCutoff, validation);
  }

  /**
   * The scoring of the screening rounds: the lowest {@link #earlyValidationExamples} ids of the
   * validation examples.
   */
  public Scoring earlyValidationScoring() {
    Examples local = validation == null ? null : validation.head((int) earlyScored);
    return new Scoring(range(blocks, partitions, partitions + validationPartitions), earlyCutoff, local);
  }

  /** How many validation examples the screening rounds score. */
  public long earlyValidationExamples() {
    return earlyScored;
  }

  /** The test scoring, or empty when the data has no test set. */
  public Optional<Scoring> testScoring() {
    return test == null ? Optional.empty() : Optional.of(new Scoring(test, testCutoff, null));
  }

  public Labels labels() {
    return labels;
  }

  /** One example's shape as the network takes it. */
  public long[] exampleShape() {
    return layout.exampleShape();
  }

  /** Whether images go to the network channels last (NHWC). */
  public boolean channelsLast() {
    return layout.image() && !layout.flat() && layout.channelsLast();
  }

  public DataDescription description() {
    return description;
  }

  @Override
  public void close() {
    blocks.unpersist(false);
    if (test != null) {
      test.unpersist(false);
    }
  }

  /** Key k goes to partition k. */
  static final class Exact extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int count;

    Exact(int count) {
      this.count = count;
    }

    @Override
    public int numPartitions() {
      return count;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Exact other && other.count == count;
    }

    @Override
    public int hashCode() {
      return count;
    }
  }

  /** Partition indices in a set. */
  static final class PartitionSet extends scala.runtime.AbstractFunction1<Object, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final java.util.Set<Integer> indices;

    PartitionSet(java.util.Set<Integer> indices) {
      this.indices = java.util.Set.copyOf(indices);
    }

    @Override
    public Object apply(Object index) {
      return indices.contains((Integer) index);
    }
  }

  /** Partition indices in {@code [from, to)}. */
  static final class PartitionRange extends scala.runtime.AbstractFunction1<Object, Object>
      implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int to;

    PartitionRange(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public Object apply(Object index) {
      int i = (Integer) index;
      return i >= from && i < to;
    }
  }
}
