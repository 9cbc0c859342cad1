package org.depprune.driver.search;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.depprune.data.FashionMnist;
import org.depprune.data.LabeledImages;
import org.depprune.data.Split;
import org.depprune.driver.config.SearchConfig;
import org.depprune.model.ModelFiles;
import org.depprune.model.TrainingProvenance;
import org.deeplearning4j.nn.api.Model;

/**
 * What the driver reads before a search: the base model (its bytes, the network, a ComputationGraph
 * or a MultiLayerNetwork, and its training
 * provenance, which fixes the validation split) and Fashion-MNIST. Local paths are read in place;
 * any other Hadoop URI ({@code hdfs://}, {@code s3a://}, ...) is copied to a local temporary
 * directory through Hadoop's file system first.
 *
 * @param validationIndices the base model's validation split, possibly cut to the configured size
 */
record SearchInputs(
    byte[] baseBytes,
    Model base,
    TrainingProvenance provenance,
    LabeledImages train,
    Split split,
    int[] validationIndices,
    LabeledImages test) {

  static SearchInputs load(SearchConfig config, Configuration hadoop) throws IOException {
    Path modelFile = local(config.baseModel(), hadoop, "base model (search.base-model)");
    byte[] bytes = Files.readAllBytes(modelFile);
    Model base = ModelFiles.load(bytes, modelFile.toString());
    TrainingProvenance provenance = ModelFiles.readProvenance(modelFile, TrainingProvenance.class);

    Path dataDir = config.data().isBlank()
        ? FashionMnist.DEBIAN_DIR
        : local(config.data(), hadoop, "data set (search.data)");
    if (!Files.isDirectory(dataDir)) {
      throw new NoSuchFileException(dataDir.toString(), null, "no Fashion-MNIST directory here: install Debian's"
          + " package dataset-fashion-mnist or set search.data to a directory with its four IDX files");
    }
    LabeledImages train = FashionMnist.train(dataDir);
    LabeledImages test = FashionMnist.test(dataDir);
    if (train.size() != provenance.trainExamples() + provenance.validationExamples()) {
      throw new IllegalArgumentException("the base model's recorded split covers " + (provenance.trainExamples()
          + provenance.validationExamples()) + " training images but " + dataDir + " holds " + train.size()
          + ": point search.data at the data set the base model was trained on");
    }
    Split split = Split.of(train.size(), provenance.validationExamples(), provenance.splitSeed());
    int n = config.validationExamples() == 0 ? split.validation().length
        : Math.min(config.validationExamples(), split.validation().length);
    return new SearchInputs(bytes, base, provenance, train, split, Arrays.copyOf(split.validation(), n), test);
  }

  /** The validation images the trials are scored on. */
  LabeledImages validation() {
    return train.select(validationIndices);
  }

  /** A local path for {@code location}: itself when local, else a copy made through Hadoop. */
  private static Path local(String location, Configuration hadoop, String what) throws IOException {
    URI uri = URI.create(location.replace(" ", "%20"));
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      Path path = uri.getScheme() == null ? Path.of(location) : Path.of(uri);
      if (!Files.exists(path)) {
        throw new NoSuchFileException(path.toString(), null, "the " + what + " does not exist");
      }
      return path;
    }
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri);
    FileSystem fs = remote.getFileSystem(hadoop);
    if (!fs.exists(remote)) {
      throw new NoSuchFileException(location, null, "the " + what + " does not exist");
    }
    Path dir = Files.createTempDirectory("depprune-input");
    dir.toFile().deleteOnExit();
    if (fs.getFileStatus(remote).isDirectory()) {
      for (FileStatus file : fs.listStatus(remote)) {
        if (file.isFile()) {
          copy(fs, file.getPath(), dir.resolve(file.getPath().getName()));
        }
      }
      return dir;
    }
    Path target = dir.resolve(remote.getName());
    copy(fs, remote, target);
    return target;
  }

  private static void copy(FileSystem fs, org.apache.hadoop.fs.Path from, Path to) throws IOException {
    try (InputStream in = fs.open(from)) {
      Files.copy(in, to);
    }
    to.toFile().deleteOnExit();
  }
}
