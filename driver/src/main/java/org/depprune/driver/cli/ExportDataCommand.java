package org.depprune.driver.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.depprune.data.FashionMnist;
import org.depprune.driver.data.Exports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code depprune export-data}: an IDX data set (Fashion-MNIST by default) rewritten by Spark as a
 * Parquet table or an image-folder tree, optionally several times over with distinct ids: data in
 * the shapes users keep theirs, to try the search's data path and measure it at scale.
 */
@Command(
    name = "export-data",
    mixinStandardHelpOptions = true,
    description = "Rewrite IDX files as a Parquet table (id, label, image as PNG bytes, pixels as floats) or an"
        + " image-folder tree (<label>/<id>.png), with Spark, optionally several copies with distinct ids.")
final class ExportDataCommand implements Callable<Integer> {
  @Option(names = "--idx", paramLabel = "DIR", description = "Directory of the IDX files (default: Debian's Fashion-MNIST).")
  String idx = FashionMnist.DEBIAN_DIR.toString();

  @Option(names = "--part", description = "train or t10k (default: ${DEFAULT-VALUE}).")
  String part = "train";

  @Option(names = "--format", required = true, description = "parquet or image-folder.")
  String format;

  @Option(names = "--copies", description = "Copies of the data set, ids shifted by its size (default: ${DEFAULT-VALUE}).")
  int copies = 1;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write (a path or Hadoop URI).")
  String out;

  @Option(names = "--no-png", description = "Parquet without the image column (PNG encoding is most of the export's time).")
  boolean noPng;

  @Option(names = "--slices", description = "Spark tasks per copy of the IDX files (default: ${DEFAULT-VALUE}).")
  int slices = 8;

  @Option(names = "--master", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master = "local[*]";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!part.equals("train") && !part.equals("t10k")) {
      throw new IllegalArgumentException("--part must be train or t10k, found " + part);
    }
    if (copies < 1) {
      throw new IllegalArgumentException("--copies must be >= 1, found " + copies);
    }
    SparkConf conf = new SparkConf().setAppName("depprune-export-data").set("spark.ui.showConsoleProgress", "false");
    conf.setMaster(SearchCommand.master(conf, null, master));
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    PrintWriter console = spec.commandLine().getOut();
    long start = System.nanoTime();
    try {
      Exports.Written written = switch (format) {
        case "parquet" -> Exports.idxToParquet(spark, idx, part, copies, out, slices, !noPng);
        case "image-folder" -> Exports.idxToImageFolder(spark, idx, part, copies, out, slices);
        default -> throw new IllegalArgumentException("--format must be parquet or image-folder, found " + format);
      };
      console.printf(java.util.Locale.ROOT, "wrote %,d examples to %s in %.1f s%n", written.examples(), written.path(),
          (System.nanoTime() - start) / 1e9);
    } finally {
      spark.stop();
    }
    return 0;
  }
}
