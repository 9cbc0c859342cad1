package org.depprune.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelFilesTest {
  @TempDir Path dir;

  private static final BaseModel.Spec SPEC = new BaseModel.Spec(4, 8, 10, 9, 1e-3, 1.0);

  static TrainingProvenance provenance() {
    return new TrainingProvenance(
        TrainingProvenance.FORMAT, "depprune-resnet", SPEC, 2, 64, 100, 100, 10, 42,
        List.of(1.5, 0.75), 0.8, 0.79, "/data", Versions.all(), "2026-11-25T00:00:00Z");
  }

  @Test
  void savedModelLoadsWithTheSameOutputsAndProvenance() throws IOException {
    ComputationGraph net = BaseModel.create(SPEC);
    Path file = dir.resolve("models/m.zip");
    ModelFiles.save(net, file, provenance());

    ComputationGraph loaded = (ComputationGraph) ModelFiles.load(file);
    INDArray x = Nd4j.rand(Nd4j.getRandomFactory().getNewRandomInstance(3), 5, 1, 28, 28);
    assertEquals(net.outputSingle(x), loaded.outputSingle(x));
    assertEquals(net.params(), loaded.params());
    assertEquals(net.getConfiguration().toJson(), loaded.getConfiguration().toJson());
    assertEquals(provenance(), ModelFiles.readProvenance(file, TrainingProvenance.class));
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temporary file left beside the model");
    }
  }

  @Test
  void versionsAreFilledInByTheBuild() {
    Map<String, String> versions = Versions.all();
    assertEquals("1.0.0-M2.1", versions.get("dl4j"));
    assertEquals("3.5.8", versions.get("spark"));
    assertEquals(System.getProperty("java.version"), versions.get("java"));
    assertTrue(versions.get("depprune").matches("\\d+\\.\\d+\\.\\d+.*"), versions.get("depprune"));
  }

  @Test
  void truncatedModelFileIsAClearError() throws IOException {
    Path file = dir.resolve("m.zip");
    ModelFiles.save(BaseModel.create(SPEC), file, provenance());
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.zip");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(cut));
    assertTrue(e.getMessage().startsWith("model file " + cut), e.getMessage());
    assertTrue(e.getMessage().contains("not a readable DL4J ComputationGraph zip"), e.getMessage());
    Path text = Files.writeString(dir.resolve("text.zip"), "not a zip");
    e = assertThrows(ModelFileException.class, () -> ModelFiles.load(text));
    assertTrue(e.getMessage().contains("not a readable"), e.getMessage());
  }

  @Test
  void missingModelFileSaysHowToMakeOne() {
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> ModelFiles.load(dir.resolve("none.zip")));
    assertTrue(e.getMessage().contains("bin/depprune train-base"), e.getMessage());
  }

  @Test
  void unknownProvenanceFormatIsRefused() throws IOException {
    Path file = dir.resolve("m.zip");
    ModelFiles.save(BaseModel.create(SPEC), file, provenance());
    Path edited = dir.resolve("edited.zip");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(file));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(edited))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (entry.getName().equals(ModelFiles.PROVENANCE_ENTRY)) {
          bytes = new String(bytes, UTF_8).replace("\"format\" : 1", "\"format\" : 99").getBytes(UTF_8);
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    ModelFileException e =
        assertThrows(
            ModelFileException.class,
            () -> ModelFiles.readProvenance(edited, TrainingProvenance.class));
    assertTrue(e.getMessage().contains("provenance format 99 is not supported"), e.getMessage());
    // The model itself still loads.
    assertEquals(BaseModel.create(SPEC).numParams(), ModelFiles.load(edited).numParams());
  }
}
