package org.depprune.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * DL4J model zips with DepPrune's provenance: {@link ModelSerializer}'s format, plus one entry,
 * {@value #PROVENANCE_ENTRY}, that holds the provenance as JSON. DL4J ignores the extra entry, so
 * the files stay loadable by plain DL4J.
 *
 * <p>Files are written to a temporary file beside the target and moved into place, so a crash
 * never leaves half a model where a good one was.
 */
public final class ModelFiles {
  /** The zip entry that holds the provenance. */
  public static final String PROVENANCE_ENTRY = "depprune/provenance.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelFiles() {}

  /** The provenance format version this code writes and reads. */
  public static final int PROVENANCE_FORMAT = 1;

  /**
   * Saves {@code net} (a ComputationGraph or MultiLayerNetwork, without updater state) and its
   * provenance record, which must have an int {@code format} component, to {@code file}.
   */
  public static void save(Model net, Path file, Record provenance) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(net, out, provenance);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code net} (without updater state) and its provenance as a model zip to {@code out},
   * for file systems other than the local one (the search writes through Hadoop's); the caller
   * closes {@code out}.
   */
  public static void write(Model net, OutputStream out, Record provenance) throws IOException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, plain, false);
    // Copy DL4J's entries and append ours through a plain ZipOutputStream: DL4J's reader
    // rejects the entry headers that the zip file system would write.
    ZipOutputStream zip = new ZipOutputStream(out);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(plain.toByteArray()))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        zip.putNextEntry(new ZipEntry(entry.getName()));
        in.transferTo(zip);
        zip.closeEntry();
      }
    }
    zip.putNextEntry(new ZipEntry(PROVENANCE_ENTRY));
    zip.write(JSON.writeValueAsBytes(provenance));
    zip.closeEntry();
    zip.finish();
  }

  /** {@code net} as model-zip bytes (ModelSerializer's format, without updater state or provenance). */
  public static byte[] bytes(Model net) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(net, out, false);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Loads the network saved in {@code file}: a ComputationGraph or a MultiLayerNetwork, whichever
   * the file holds.
   */
  public static Model load(Path file) throws IOException {
    requireFile(file);
    return load(Files.readAllBytes(file), file.toString());
  }

  /**
   * Loads the network in a model zip's bytes: a ComputationGraph or a MultiLayerNetwork (told
   * apart by its configuration: only a graph's has vertices), or, for the bytes of a Keras HDF5
   * file, the network DL4J's Keras importer makes of it ({@link KerasModels}); {@code source} names
   * where the bytes came from, for errors.
   */
  public static Model load(byte[] zip, String source) throws ModelFileException {
    if (KerasModels.isHdf5(zip)) {
      try {
        return KerasModels.load(zip, source);
      } catch (IOException e) {
        throw new ModelFileException(source, "not a readable Keras HDF5 file (" + e.getMessage() + ")", e);
      }
    }
    boolean graph = isGraph(zip, source);
    String kind = graph ? "ComputationGraph" : "MultiLayerNetwork";
    try {
      return graph
          ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), false)
          : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), false);
    } catch (Exception | AssertionError e) {
      throw new ModelFileException(source, "not a readable DL4J " + kind + " zip (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + "); is it truncated?", e);
    }
  }

  /** Whether the zip's {@code configuration.json} describes a ComputationGraph. */
  private static boolean isGraph(byte[] zip, String source) throws ModelFileException {
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (entry.getName().equals("configuration.json")) {
          return JSON.readTree(in.readAllBytes()).has("vertices");
        }
      }
    } catch (IOException e) {
      throw new ModelFileException(source, "not a readable DL4J model zip (" + e.getMessage() + "); is it truncated?", e);
    }
    throw new ModelFileException(source, "not a readable DL4J model zip: it has no configuration.json", null);
  }

  /**
   * The train / validation split the model in {@code file} was trained with, when its provenance
   * records one (a base model from {@code depprune train-base}); empty otherwise.
   */
  public static java.util.Optional<org.depprune.data.SplitSpec> recordedSplit(Path file) throws IOException {
    JsonNode tree;
    try {
      tree = provenanceTree(file);
    } catch (ModelFileException e) {
      return java.util.Optional.empty();
    }
    if (!tree.hasNonNull("validationExamples") || !tree.hasNonNull("splitSeed")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new org.depprune.data.SplitSpec(tree.get("validationExamples").asInt(),
        tree.get("splitSeed").asLong()));
  }

  /** The provenance saved in {@code file} as JSON, or empty for a model DepPrune did not write. */
  public static java.util.Optional<JsonNode> provenance(Path file) throws IOException {
    try {
      return java.util.Optional.of(provenanceTree(file));
    } catch (ModelFileException e) {
      return java.util.Optional.empty();
    }
  }

  /** The provenance saved in {@code file}, read as {@code type}. */
  public static <T extends Record> T readProvenance(Path file, Class<T> type) throws IOException {
    return JSON.treeToValue(provenanceTree(file), type);
  }

  /** The provenance saved in {@code file}, as JSON, its format checked. */
  private static JsonNode provenanceTree(Path file) throws IOException {
    requireFile(file);
    byte[] bytes;
    try (FileSystem zip = FileSystems.newFileSystem(file, Map.of())) {
      Path entry = zip.getPath(PROVENANCE_ENTRY);
      if (!Files.exists(entry)) {
        throw new ModelFileException(
            file.toString(), "has no " + PROVENANCE_ENTRY + ": it was not written by DepPrune", null);
      }
      bytes = Files.readAllBytes(entry);
    } catch (java.util.zip.ZipException | java.nio.file.ProviderNotFoundException e) {
      throw new ModelFileException(file.toString(), "not a zip file (" + e.getMessage() + ")", e);
    }
    JsonNode tree = JSON.readTree(bytes);
    int format = tree.path("format").asInt(-1);
    if (format != PROVENANCE_FORMAT) {
      throw new ModelFileException(
          file.toString(),
          "provenance format " + format + " is not supported (this DepPrune reads format "
              + PROVENANCE_FORMAT + "); use the DepPrune version that wrote it",
          null);
    }
    return tree;
  }


  private static void requireFile(Path file) throws NoSuchFileException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(
          file.toString(), null, "no such model file; train one with 'bin/depprune train-base'");
    }
  }
}
