package org.depprune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  @Test
  void plainAndGzippedFilesReadTheSame() throws IOException {
    byte[] pixels = new byte[3 * 2 * 4];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 10);
    }
    Path plain = write("plain-images", imagesFile(3, 2, 4, pixels), false);
    Path gzipped = write("gz-images", imagesFile(3, 2, 4, pixels), true);
    IdxReader.Images a = IdxReader.readImages(plain);
    IdxReader.Images b = IdxReader.readImages(gzipped);
    assertEquals(3, a.count());
    assertEquals(2, a.rows());
    assertEquals(4, a.cols());
    assertArrayEquals(pixels, a.pixels());
    assertArrayEquals(pixels, b.pixels());
    byte[] labels = {1, 2, 0};
    assertArrayEquals(labels, IdxReader.readLabels(write("labels", labelsFile(labels), true)));
  }

  @Test
  void wrongMagicNumberNamesTheFile() throws IOException {
    Path labels = write("labels", labelsFile(new byte[] {1, 2}), false);
    // A label file is not an image file: its magic number says one dimension, not three.
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(labels));
    assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("wrong magic number 0x00000801"), e.getMessage());
  }

  @Test
  void truncatedDataIsReported() throws IOException {
    byte[] full = imagesFile(4, 2, 2, new byte[16]);
    Path cut = write("cut", Arrays.copyOf(full, full.length - 5), true);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("announces 16 bytes of data, the file holds 11"), e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() throws IOException {
    Path cut = write("header", Arrays.copyOf(imagesFile(1, 1, 1, new byte[1]), 6), false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(cut));
    assertTrue(e.getMessage().contains("truncated in the header"), e.getMessage());
    Path empty = write("empty", new byte[0], false);
    e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(empty));
    assertTrue(e.getMessage().contains("shorter than the 4-byte magic number"), e.getMessage());
  }

  @Test
  void trailingBytesAreReported() throws IOException {
    byte[] file = labelsFile(new byte[] {1, 2, 3});
    Path longer = write("longer", Arrays.copyOf(file, file.length + 2), false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(longer));
    assertTrue(e.getMessage().contains("more data than its header announces"), e.getMessage());
  }

  @Test
  void cutGzipStreamIsReported() throws IOException {
    Path gz = write("gz", imagesFile(50, 28, 28, new byte[50 * 784]), true);
    byte[] bytes = Files.readAllBytes(gz);
    Path cut = dir.resolve("cut.gz");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void imageAndLabelCountsMustAgree() throws IOException {
    write("train-images-idx3-ubyte", imagesFile(3, 28, 28, new byte[3 * 784]), true);
    write("train-labels-idx1-ubyte", labelsFile(new byte[] {1, 2}), true);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.train(dir));
    assertTrue(e.getMessage().contains("holds 2 labels but"), e.getMessage());
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz holds 3 images"), e.getMessage());
  }

  @Test
  void labelsOutsideTheClassesAreReported() throws IOException {
    write("t10k-images-idx3-ubyte", imagesFile(2, 28, 28, new byte[2 * 784]), false);
    write("t10k-labels-idx1-ubyte", labelsFile(new byte[] {1, 12}), false);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.test(dir));
    assertTrue(e.getMessage().contains("label 12 of image 1 is not in [0, 10)"), e.getMessage());
  }

  @Test
  void missingDataSetSaysHowToInstallIt() {
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> FashionMnist.train(dir.resolve("nowhere")));
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
  }

  static byte[] imagesFile(int count, int rows, int cols, byte[] pixels) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000803);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(cols);
    out.write(pixels);
    return bytes.toByteArray();
  }

  static byte[] labelsFile(byte[] labels) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000801);
    out.writeInt(labels.length);
    out.write(labels);
    return bytes.toByteArray();
  }

  private Path write(String name, byte[] content, boolean gzip) throws IOException {
    Path file = dir.resolve(gzip ? name + ".gz" : name);
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }
}
