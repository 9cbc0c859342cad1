package org.depprune.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.depprune.backend.CpuEngine;
import org.depprune.importance.Criteria;

/**
 * A search's settings, read from HOCON and checked before any Spark work: every key and its
 * default live in {@code conf/search-reference.conf} (packaged as {@value #REFERENCE}); a config
 * file overrides any of them. Unknown keys and bad values fail with the key, the file and line,
 * and what would fix it.
 */
public record SearchConfig(
    String baseModel,
    DataSpec data,
    String output,
    long seed,
    String master,
    int parallelism,
    int nd4jThreads,
    CpuEngine engine,
    Scheduling scheduling,
    List<String> criteria,
    Space space,
    List<Double> uniformRatios,
    boolean uniformAtBudgets,
    int randomPlansPerCriterion,
    Sensitivity sensitivity,
    Evolution evolution,
    double macsCeiling,
    List<Objective> objectives,
    List<Budget> budgets,
    Halving halving,
    int recalibrationBatches,
    Recovery recovery,
    int partitions,
    FinetuneSpec finetune,
    Calibration calibration,
    int validationExamples,
    Latency latency,
    int testExamples,
    List<Double> hypervolumeReference,
    Final finalFinetune,
    String hash,
    String resolved) {

  /** The packaged reference config (a copy of {@code conf/search-reference.conf}). */
  public static final String REFERENCE = "org/depprune/driver/config/search-reference.conf";

  /** How trials are put on Spark. */
  public enum Scheduling {
    /** One Spark job per trial from a driver-side pool: slots never wait for a round's slowest trial. */
    ASYNC,
    /** One Spark stage per round: simple, but a round lasts as long as its slowest task. */
    STAGE
  }

  /** The ratio space; {@code layers} empty means every prunable group. */
  public record Space(List<String> layers, List<String> ignoredLayers, double minRatio, double maxRatio, int roundTo) {}

  /**
   * The per-group sensitivity scan before the first round.
   *
   * @param criterion the scan's criterion (resolved: the first of the search's when the config leaves it empty)
   */
  public record Sensitivity(boolean scan, List<Double> ratios, String criterion) {
    public Sensitivity {
      ratios = List.copyOf(ratios);
    }
  }

  /** NSGA-II settings; {@code criteria} empty means all of the search's criteria. */
  public record Evolution(int generations, int population, List<String> criteria) {}

  /** A cost the front trades accuracy against; accuracy itself is always the first objective. */
  public enum Objective {
    ACCURACY, MACS, PARAMS, LATENCY;

    /** The name a config writes: {@code accuracy}, {@code macs}, {@code params}, {@code latency}. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A budget a plan must fit in: at most {@code limit} of {@code cost} (a MACs share, a parameter
   * count, or milliseconds per latency batch).
   */
  public record Budget(Objective cost, double limit) {
    public Budget {
      if (cost == Objective.ACCURACY) {
        throw new IllegalArgumentException("a budget limits a cost (macs, params, latency), not accuracy");
      }
    }

    /** How summaries name it: {@code macs<=50%}, {@code params<=60000}, {@code latency<=12.5ms}. */
    public String label() {
      return switch (cost) {
        case MACS -> String.format(java.util.Locale.ROOT, "macs<=%s%%", trim(100 * limit));
        case PARAMS -> String.format(java.util.Locale.ROOT, "params<=%d", Math.round(limit));
        default -> String.format(java.util.Locale.ROOT, "latency<=%sms", trim(limit));
      };
    }

    private static String trim(double v) {
      return java.math.BigDecimal.valueOf(v).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
          .toPlainString();
    }
  }

  /** Whether a recovery option is off, on for every plan, or chosen by the search. */
  public enum Choice { OFF, ON, SEARCH }

  /**
   * Recovery inside the budget: distillation from the base model during the finetune, and a
   * sparse-learning warm-up before pruning.
   */
  public record Recovery(Choice distill, double temperature, double alpha, Choice sparseWarmup, String sparseMethod,
      int sparseWarmupImages, double sparseStrength) {}

  /**
   * Successive halving: one finetune budget (training images) per round, and the share promoted,
   * or ({@code keep} non-empty) the number of plans each later round gets.
   *
   * @param budgets training images per round; {@link #EPOCH} stands for one pass over the training
   *     split until {@link #resolve} replaces it by the split's size
   * @param earlyValidationExamples validation examples the rounds before the last (and the
   *     evolution) score; 0: as many as the last round
   */
  public record Halving(List<Integer> budgets, double promote, List<Integer> keep, int earlyValidationExamples) {
    /** A budget of one pass over the training split ({@code epoch} in a config). */
    public static final int EPOCH = -1;

    public Halving {
      budgets = List.copyOf(budgets);
      keep = List.copyOf(keep);
    }

    /** How many of {@code previous} plans round {@code round} (from 1) gets. */
    public int kept(int round, int previous) {
      return keep.isEmpty() ? (int) Math.ceil(promote * previous) : Math.min(previous, keep.get(round - 1));
    }

    /** The last round's budget. */
    public int last() {
      return budgets.get(budgets.size() - 1);
    }

    /**
     * These settings with {@link #EPOCH} replaced by {@code trainExamples}; an error when that
     * leaves the budgets not increasing (an explicit budget at or above the training split's size).
     */
    public Halving resolve(long trainExamples) {
      List<Integer> resolved = budgets.stream().map(b -> b == EPOCH ? Math.toIntExact(trainExamples) : b).toList();
      for (int i = 1; i < resolved.size(); i++) {
        if (resolved.get(i) <= resolved.get(i - 1)) {
          throw new IllegalArgumentException("search.halving.budgets " + budgets.stream().map(Halving::text).toList()
              + " must increase, but one pass over the training split is " + trainExamples + " images: give budgets"
              + " below it before `epoch`");
        }
      }
      return new Halving(resolved, promote, keep, earlyValidationExamples);
    }

    /** How a config writes a budget. */
    static String text(int budget) {
      return budget == EPOCH ? "epoch" : Integer.toString(budget);
    }
  }

  public record Calibration(int batches, int batchSize) {}

  public record Latency(int batchSize, int warmup, int runs) {}

  /**
   * The finetune of chosen front plans (and each budget's best uniform plan) after the search
   * ({@code FinalFinetune}).
   *
   * @param macsBudgets for each, the front's most accurate plan at or under this MACs share
   * @param workers 1: each plan on one worker (a Spark task over the whole training split), plans
   *     side by side; more: data-parallel over that many workers (dl4j-spark parameter averaging);
   *     0: data-parallel over every slot
   * @param learningRate 0: the peak rate of {@code search.finetune}'s recipe; else this peak
   * @param schedule {@code cosine} (from the peak to 0 over every epoch), {@code constant}, or
   *     {@code exponential} (epoch e at the peak times lrDecay^e)
   * @param distill whether the finetune distils from the base model ({@code recovery.temperature}, {@code alpha})
   * @param uniformBaseline whether each budget's best uniform plan of the last round is finetuned the same way
   */
  public record Final(List<Double> macsBudgets, int epochs, int workers, int batchSizePerWorker,
      int averagingFrequency, double learningRate, String schedule, double lrDecay, boolean distill,
      boolean uniformBaseline, int trainExamples) {
    public Final {
      macsBudgets = List.copyOf(macsBudgets);
    }

    /**
     * The recipe of one epoch of the final finetune, from the search's: the search's optimizer and
     * weight decay, this stage's peak rate (or the search's), and the schedule (cosine over all
     * epochs; exponential and constant are constant within an epoch).
     */
    public org.depprune.train.FinetuneRecipe recipe(org.depprune.train.FinetuneRecipe search) {
      return new org.depprune.train.FinetuneRecipe(search.optimizer(),
          learningRate > 0 ? learningRate : search.learningRate(), learningRate > 0 ? 1 : search.lrFactor(),
          schedule.equals("cosine") ? org.depprune.train.FinetuneRecipe.LrSchedule.COSINE
              : org.depprune.train.FinetuneRecipe.LrSchedule.CONSTANT, search.weightDecay());
    }

    /** The share of the peak rate epoch {@code e} (from 0) starts at under {@code exponential}; 1 otherwise. */
    public double epochFactor(int e) {
      return schedule.equals("exponential") ? Math.pow(lrDecay, e) : 1;
    }
  }

  /** The reference config alone: every default. */
  public static SearchConfig defaults() {
    return from(ConfigFactory.empty(), "defaults", Map.of());
  }

  /**
   * Reads {@code file} (null: defaults only), with {@code overrides} (dotted keys, with or without
   * the {@code search.} prefix: {@code output} or {@code search.output}) applied on top.
   */
  public static SearchConfig load(Path file, Map<String, Object> overrides) {
    if (file == null) {
      return from(ConfigFactory.empty(), "defaults", overrides);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("search config " + file + " does not exist; see conf/search-reference.conf");
    }
    try {
      Config user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      return from(user, file.toString(), overrides);
    } catch (ConfigException.Parse e) {
      throw new IllegalArgumentException("search config " + e.getMessage(), e);
    }
  }

  /** Parses HOCON text (for tests and inline configs). */
  public static SearchConfig parse(String hocon, Map<String, Object> overrides) {
    return from(ConfigFactory.parseString(hocon), "inline config", overrides);
  }

  private static SearchConfig from(Config user, String source, Map<String, Object> overrides) {
    for (var entry : overrides.entrySet()) {
      user = user.withValue(qualified(entry.getKey()), ConfigValueFactory.fromAnyRef(entry.getValue(), "command line"));
    }
    user = legacyData(user);
    Config reference = ConfigFactory.parseResources(SearchConfig.class.getClassLoader(), REFERENCE);
    if (reference.isEmpty()) {
      throw new IllegalStateException(REFERENCE + " is missing from the classpath: rebuild the driver");
    }
    rejectUnknownKeys(user, reference, source);
    Config c = user.withFallback(reference).resolve().getConfig("search");
    try {
      return read(c);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code search.data = "DIR"}, as configs before {@code search.data} became a block wrote it: a
   * directory of Fashion-MNIST's IDX files, read as {@code data { format = idx, train = DIR }}.
   */
  private static Config legacyData(Config user) {
    if (!user.hasPath("search.data") || user.getValue("search.data").valueType() != com.typesafe.config.ConfigValueType.STRING) {
      return user;
    }
    ConfigValue dir = user.getValue("search.data");
    return user.withoutPath("search.data")
        .withValue("search.data.format", ConfigValueFactory.fromAnyRef(DataSpec.IDX, dir.origin().description()))
        .withValue("search.data.train", dir);
  }

  /** An override's full key: {@code seed} and {@code search.seed} (as a config file writes it) are the same. */
  private static String qualified(String key) {
    return key.startsWith("search.") ? key : "search." + key;
  }

  private static void rejectUnknownKeys(Config user, Config reference, String source) {
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String key = entry.getKey();
      if (!reference.hasPath(key) && !key.startsWith("search.data.options.")) {
        String line = entry.getValue().origin().lineNumber() > 0 ? " (line " + entry.getValue().origin().lineNumber() + ")" : "";
        throw new IllegalArgumentException(source + line + ": unknown key '" + key
            + "'; the keys and their meaning are in conf/search-reference.conf");
      }
    }
  }

  private static SearchConfig read(Config c) {
    List<String> criteria = c.getStringList("criteria");
    Check.that(!criteria.isEmpty(), c, "criteria", "must list at least one criterion");
    criteria.forEach(name -> Check.that(Criteria.names().contains(name), c, "criteria",
        "has unknown criterion '" + name + "'; choose among " + String.join(", ", Criteria.names())));
    Space space = new Space(
        c.getStringList("space.layers"),
        c.getStringList("space.ignored-layers"),
        c.getDouble("space.min-ratio"),
        c.getDouble("space.max-ratio"),
        c.getInt("space.round-to"));
    Check.ratio(space.minRatio(), c, "space.min-ratio");
    Check.ratio(space.maxRatio(), c, "space.max-ratio");
    Check.that(space.minRatio() <= space.maxRatio(), c, "space.max-ratio", "must be >= search.space.min-ratio");
    Check.that(space.roundTo() >= 1, c, "space.round-to", "must be >= 1");
    List<Double> uniform = c.getDoubleList("uniform.ratios");
    uniform.forEach(r -> Check.ratio(r, c, "uniform.ratios"));
    Evolution evolution = new Evolution(
        c.getInt("evolution.generations"), c.getInt("evolution.population"), c.getStringList("evolution.criteria"));
    Check.that(evolution.generations() >= 0, c, "evolution.generations", "must be >= 0");
    Check.that(evolution.population() >= 2 || evolution.generations() == 0, c, "evolution.population", "must be >= 2");
    evolution.criteria().forEach(name -> Check.that(criteria.contains(name), c, "evolution.criteria",
        "names '" + name + "', which is not in search.criteria"));
    Halving halving = new Halving(halvingBudgets(c), c.getDouble("halving.promote"),
        List.copyOf(c.getIntList("halving.keep")), c.getInt("halving.early-validation-examples"));
    Check.that(!halving.budgets().isEmpty(), c, "halving.budgets", "must list at least one finetune budget");
    for (int i = 0; i < halving.budgets().size(); i++) {
      int b = halving.budgets().get(i);
      Check.that(b >= 0 || b == Halving.EPOCH && i == halving.budgets().size() - 1, c, "halving.budgets",
          "must hold training images >= 0, and `epoch` (one pass over the training split) only last");
      Check.that(i == 0 || b == Halving.EPOCH || b > halving.budgets().get(i - 1), c, "halving.budgets",
          "must increase from round to round");
    }
    Check.that(halving.earlyValidationExamples() >= 0, c, "halving.early-validation-examples",
        "must be >= 0 (0: as many as validation-examples)");
    Check.that(halving.promote() > 0 && halving.promote() <= 1, c, "halving.promote", "must be in (0, 1]");
    Check.that(halving.keep().isEmpty() || halving.keep().size() == halving.budgets().size() - 1, c, "halving.keep",
        "must give one count per round after the first (" + (halving.budgets().size() - 1) + ")");
    halving.keep().forEach(k -> Check.that(k >= 1, c, "halving.keep", "must hold counts >= 1"));
    List<Objective> objectives = objectives(c);
    List<Budget> budgets = budgets(c);
    int recalibration = c.getInt("recalibration.batches");
    Check.that(recalibration >= 0, c, "recalibration.batches", "must be >= 0 (0: no recalibration)");
    List<Double> reference = c.getDoubleList("hypervolume.reference");
    Check.that(reference.size() == 2, c, "hypervolume.reference", "must be [accuracy, MACs share]");
    String scheduling = c.getString("scheduling");
    Check.that(scheduling.equals("async") || scheduling.equals("stage"), c, "scheduling", "must be async or stage");
    SearchConfig config = new SearchConfig(
        c.getString("base-model"),
        DataSpec.read(c, (ok, key, problem) -> Check.that(ok, c, key, problem)),
        c.getString("output"),
        c.getLong("seed"),
        c.getString("master"),
        c.getInt("parallelism"),
        c.getInt("nd4j-threads"),
        engine(c),
        Scheduling.valueOf(scheduling.toUpperCase(java.util.Locale.ROOT)),
        List.copyOf(criteria),
        space,
        List.copyOf(uniform),
        c.getBoolean("uniform.at-budgets"),
        c.getInt("random.plans-per-criterion"),
        sensitivity(c, criteria, space),
        evolution,
        c.getDouble("macs-ceiling"),
        objectives,
        budgets,
        halving,
        recalibration,
        recovery(c),
        c.getInt("partitions"),
        FinetuneSpec.read(c, (ok, key, problem) -> Check.that(ok, c, key, problem)),
        new Calibration(c.getInt("calibration.batches"), c.getInt("calibration.batch-size")),
        c.getInt("validation-examples"),
        new Latency(c.getInt("latency.batch-size"), c.getInt("latency.warmup"), c.getInt("latency.runs")),
        c.getInt("test-examples"),
        List.copyOf(reference),
        finalFinetune(c),
        hash(c),
        c.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
    Check.that(!config.baseModel().isBlank(), c, "base-model", "must name a model file");
    Check.that(!config.output().isBlank(), c, "output", "must name a directory");
    Check.that(config.parallelism() >= 0, c, "parallelism", "must be >= 0 (0: Spark's default parallelism)");
    Check.that(config.nd4jThreads() >= 1, c, "nd4j-threads", "must be >= 1");
    Check.that(config.randomPlansPerCriterion() >= 0, c, "random.plans-per-criterion", "must be >= 0");
    Check.that(config.macsCeiling() > 0 && config.macsCeiling() <= 1, c, "macs-ceiling", "must be in (0, 1]");
    Check.that(config.partitions() >= 1, c, "partitions", "must be >= 1");
    Check.that(config.calibration().batches() >= 1, c, "calibration.batches", "must be >= 1");
    Check.that(config.calibration().batchSize() >= 1, c, "calibration.batch-size", "must be >= 1");
    Check.that(config.validationExamples() >= 0, c, "validation-examples", "must be >= 0 (0: the whole split)");
    Check.that(config.testExamples() >= 0, c, "test-examples", "must be >= 0 (0: the whole test set)");
    Check.that(config.latency().batchSize() >= 1 && config.latency().runs() >= 1 && config.latency().warmup() >= 0,
        c, "latency", "needs batch-size >= 1, runs >= 1, warmup >= 0");
    return config;
  }

  /** {@code halving.budgets}: numbers of training images, the last one possibly {@code epoch}. */
  private static List<Integer> halvingBudgets(Config c) {
    List<Integer> budgets = new java.util.ArrayList<>();
    for (ConfigValue v : c.getList("halving.budgets")) {
      Object raw = v.unwrapped();
      if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        budgets.add(n.intValue());
      } else {
        Check.that("epoch".equals(raw), c, "halving.budgets", "must hold numbers of training images, or `epoch` for"
            + " one pass over the training split; found " + v.render(ConfigRenderOptions.concise()));
        budgets.add(Halving.EPOCH);
      }
    }
    return budgets;
  }

  private static Sensitivity sensitivity(Config c, List<String> criteria, Space space) {
    String scan = c.getString("sensitivity.scan");
    Check.that(scan.equals("on") || scan.equals("off"), c, "sensitivity.scan", "must be on or off");
    List<Double> ratios = c.getDoubleList("sensitivity.ratios");
    Check.that(!ratios.isEmpty() || scan.equals("off"), c, "sensitivity.ratios", "must list at least one ratio");
    for (int i = 0; i < ratios.size(); i++) {
      Check.that(ratios.get(i) > 0 && ratios.get(i) <= space.maxRatio(), c, "sensitivity.ratios",
          "must hold ratios in (0, search.space.max-ratio]");
      Check.that(i == 0 || ratios.get(i) > ratios.get(i - 1), c, "sensitivity.ratios", "must increase");
    }
    String criterion = c.getString("sensitivity.criterion");
    Check.that(criterion.isEmpty() || criteria.contains(criterion), c, "sensitivity.criterion",
        "names '" + criterion + "', which is not in search.criteria");
    return new Sensitivity(scan.equals("on"), ratios, criterion.isEmpty() ? criteria.get(0) : criterion);
  }

  private static List<Objective> objectives(Config c) {
    List<String> names = c.getStringList("objectives");
    Check.that(names.size() >= 2 && names.size() <= 3 && names.get(0).equals("accuracy"), c, "objectives",
        "must be accuracy and then one or two of macs, params, latency");
    List<Objective> objectives = new java.util.ArrayList<>();
    for (String name : names) {
      Check.that(List.of("accuracy", "macs", "params", "latency").contains(name), c, "objectives",
          "has unknown objective '" + name + "'; choose among accuracy, macs, params, latency");
      Objective o = Objective.valueOf(name.toUpperCase(java.util.Locale.ROOT));
      Check.that(!objectives.contains(o), c, "objectives", "names '" + name + "' twice");
      objectives.add(o);
    }
    return List.copyOf(objectives);
  }

  private static List<Budget> budgets(Config c) {
    List<Budget> budgets = new java.util.ArrayList<>();
    for (double share : c.getDoubleList("budgets.macs")) {
      Check.that(share > 0 && share < 1, c, "budgets.macs", "must hold MACs shares in (0, 1)");
      budgets.add(new Budget(Objective.MACS, share));
    }
    for (double count : c.getDoubleList("budgets.params")) {
      Check.that(count >= 1 && count == Math.rint(count), c, "budgets.params", "must hold whole parameter counts >= 1");
      budgets.add(new Budget(Objective.PARAMS, count));
    }
    for (double ms : c.getDoubleList("budgets.latency-ms")) {
      Check.that(ms > 0, c, "budgets.latency-ms", "must hold positive milliseconds");
      budgets.add(new Budget(Objective.LATENCY, ms));
    }
    Check.that(budgets.stream().distinct().count() == budgets.size(), c, "budgets", "lists a budget twice");
    return List.copyOf(budgets);
  }

  private static Recovery recovery(Config c) {
    Recovery r = new Recovery(choice(c, "recovery.distill"), c.getDouble("recovery.temperature"),
        c.getDouble("recovery.alpha"), choice(c, "recovery.sparse-warmup"), c.getString("recovery.sparse-method"),
        c.getInt("recovery.sparse-warmup-images"), c.getDouble("recovery.sparse-strength"));
    Check.that(r.temperature() > 0, c, "recovery.temperature", "must be > 0");
    Check.that(r.alpha() >= 0 && r.alpha() <= 1, c, "recovery.alpha", "must be in [0, 1]");
    Check.that(r.sparseMethod().equals("group-lasso") || r.sparseMethod().equals("growing-reg"), c,
        "recovery.sparse-method", "must be group-lasso or growing-reg");
    Check.that(r.sparseWarmupImages() >= 1, c, "recovery.sparse-warmup-images", "must be >= 1");
    Check.that(r.sparseStrength() > 0, c, "recovery.sparse-strength", "must be > 0");
    return r;
  }

  private static Choice choice(Config c, String key) {
    String v = c.getString(key);
    Check.that(List.of("off", "on", "search").contains(v), c, key, "must be off, on or search");
    return Choice.valueOf(v.toUpperCase(java.util.Locale.ROOT));
  }

  private static Final finalFinetune(Config c) {
    String schedule = c.getString("final.schedule");
    Check.that(List.of("cosine", "constant", "exponential").contains(schedule), c, "final.schedule",
        "must be cosine, constant or exponential");
    String distill = c.getString("final.distill");
    Check.that(distill.equals("on") || distill.equals("off"), c, "final.distill", "must be on or off");
    String baseline = c.getString("final.uniform-baseline");
    Check.that(baseline.equals("on") || baseline.equals("off"), c, "final.uniform-baseline", "must be on or off");
    Final f = new Final(List.copyOf(c.getDoubleList("final.macs-budgets")), c.getInt("final.epochs"),
        c.getInt("final.workers"), c.getInt("final.batch-size-per-worker"), c.getInt("final.averaging-frequency"),
        c.getDouble("final.learning-rate"), schedule, c.getDouble("final.lr-decay"), distill.equals("on"),
        baseline.equals("on"), c.getInt("final.train-examples"));
    f.macsBudgets().forEach(b -> Check.that(b > 0 && b <= 1, c, "final.macs-budgets",
        "must hold MACs shares in (0, 1]"));
    Check.that(f.epochs() >= 1, c, "final.epochs", "must be >= 1");
    Check.that(f.workers() >= 0, c, "final.workers", "must be >= 0 (1: one worker per plan, 0: every slot)");
    Check.that(f.batchSizePerWorker() >= 1, c, "final.batch-size-per-worker", "must be >= 1");
    Check.that(f.averagingFrequency() >= 1, c, "final.averaging-frequency", "must be >= 1");
    Check.that(f.learningRate() >= 0, c, "final.learning-rate", "must be >= 0 (0: the search.finetune recipe's rate)");
    Check.that(f.lrDecay() > 0 && f.lrDecay() <= 1, c, "final.lr-decay", "must be in (0, 1]");
    Check.that(f.trainExamples() >= 0, c, "final.train-examples", "must be >= 0 (0: the whole training split)");
    return f;
  }

  /** Criteria the evolution may pick. */
  public List<String> evolutionCriteria() {
    return evolution.criteria().isEmpty() ? criteria : evolution.criteria();
  }

  /**
   * The search's fingerprint: the first 12 hex digits of the SHA-256 of the resolved config,
   * without the settings that do not change the trials' results (where they go, the master, the
   * parallelism, the scheduling and the final finetune), so a search can resume with more slots
   * or go on to a final finetune.
   */
  private static CpuEngine engine(Config c) {
    try {
      return CpuEngine.parse(c.getString("engine"));
    } catch (IllegalArgumentException e) {
      Check.that(false, c, "engine", "must be onednn or plain");
      throw e;
    }
  }

  private static String hash(Config c) {
    Config semantic = c;
    for (String key : List.of("output", "master", "parallelism", "scheduling", "final")) {
      semantic = semantic.withoutPath(key);
    }
    String text = semantic.root().render(ConfigRenderOptions.concise());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Value checks that name the key and where it was set. */
  private static final class Check {
    static void that(boolean ok, Config c, String key, String problem) {
      if (!ok) {
        String where = c.hasPath(key) ? c.getValue(key).origin().description() : "search config";
        throw new IllegalArgumentException(where + ": search." + key + " " + problem
            + (c.hasPath(key) ? " (found " + c.getValue(key).render(ConfigRenderOptions.concise()) + ")" : ""));
      }
    }

    static void ratio(double r, Config c, String key) {
      that(r >= 0 && r < 1, c, key, "must be a ratio in [0, 1)");
    }
  }
}
