package org.depprune.driver.search;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.depprune.backend.CpuEngines;
import org.depprune.data.SplitSpec;
import org.depprune.driver.config.SearchConfig;
import org.depprune.model.KerasModels;
import org.depprune.model.ModelFiles;
import org.deeplearning4j.nn.api.Model;

/**
 * The base model, read on the driver: its bytes (what trials load their copy from), the network (a
 * ComputationGraph or a MultiLayerNetwork) and the train / validation split its provenance
 * records, if it records one (a model from {@code depprune train-base}). Any DL4J model zip works,
 * with or without DepPrune's provenance, or a Keras HDF5 file (imported once, here). A local path is read in place; any other Hadoop URI
 * ({@code hdfs://}, {@code s3a://}, ...) is copied to a local temporary file first. The data is
 * not read here: Spark reads it on the executors ({@link org.depprune.driver.data.SearchData}).
 */
record SearchInputs(byte[] baseBytes, Model base, Optional<SplitSpec> recordedSplit) {

  static SearchInputs load(SearchConfig config, Configuration hadoop) throws IOException {
    Path modelFile = local(config.baseModel(), hadoop, "base model (search.base-model)");
    byte[] bytes = Files.readAllBytes(modelFile);
    // Switches the engine to plain where oneDNN would train this model wrong; the trials run
    // under the engine in effect after this.
    Model base = CpuEngines.guard(ModelFiles.load(bytes, modelFile.toString()));
    if (KerasModels.isHdf5(bytes)) {
      bytes = ModelFiles.bytes(base); // trials load the imported network, not the HDF5 file again
    }
    return new SearchInputs(bytes, base, ModelFiles.recordedSplit(modelFile));
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
