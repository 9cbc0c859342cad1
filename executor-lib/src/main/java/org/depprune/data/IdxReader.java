package org.depprune.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian magic number whose third
 * byte is the element type ({@code 0x08}, unsigned byte, is the only one these data sets use) and
 * whose fourth byte is the number of dimensions, then one big-endian int per dimension, then the
 * elements. Gzipped files are recognised by their own magic bytes, whatever their name.
 */
public final class IdxReader {
  private static final int UNSIGNED_BYTE = 0x08;

  private IdxReader() {}

  /** Reads an image file ({@code idx3}: count x rows x cols unsigned bytes). */
  public static Images readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] dims = readHeader(in, file.toString(), 3);
      long size = (long) dims[0] * dims[1] * dims[2];
      if (size > Integer.MAX_VALUE) {
        throw new IdxFormatException(file, "too many pixels for one array: " + size);
      }
      byte[] pixels = readExactly(in, file, (int) size);
      return new Images(dims[0], dims[1], dims[2], pixels);
    }
  }

  /** Reads a label file ({@code idx1}: count unsigned bytes). */
  public static byte[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] dims = readHeader(in, file.toString(), 1);
      return readExactly(in, file, dims[0]);
    }
  }

  /** Images as read from an IDX file: {@code count} images of {@code rows x cols} bytes, row-major. */
  public record Images(int count, int rows, int cols, byte[] pixels) {}

  /**
   * Part of an IDX file: its header's sizes ({@code [count]} for labels, {@code [count, rows, cols]}
   * for images) and the bytes of the {@code records} records from record {@code first} on.
   */
  public record Slice(int[] sizes, byte[] data) {}

  /**
   * Reads records {@code [first, first + records)} (cut at the end of the file) of the IDX file with
   * {@code dims} dimensions in {@code raw}, gzipped or not, without reading the records before them
   * into memory; {@code name} names the file in errors. The caller closes {@code raw}.
   */
  public static Slice readSlice(InputStream raw, String name, int dims, long first, int records) throws IOException {
    DataInputStream in = open(new BufferedInputStream(raw), name);
    int[] sizes = readHeader(in, name, dims);
    long recordBytes = 1;
    for (int d = 1; d < dims; d++) {
      recordBytes *= sizes[d];
    }
    long n = Math.max(0, Math.min(records, sizes[0] - first));
    in.skipNBytes(first * recordBytes);
    byte[] data = new byte[Math.toIntExact(n * recordBytes)];
    if (in.readNBytes(data, 0, data.length) < data.length) {
      throw new IdxFormatException(name, "truncated: the header announces " + sizes[0] + " records");
    }
    return new Slice(sizes, data);
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such IDX file");
    }
    return open(new BufferedInputStream(Files.newInputStream(file)), file.toString());
  }

  private static DataInputStream open(InputStream raw, String file) throws IOException {
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    boolean gzipped = b0 == 0x1f && b1 == 0x8b;
    try {
      return new DataInputStream(gzipped ? new BufferedInputStream(new GZIPInputStream(raw)) : raw);
    } catch (IOException e) {
      raw.close();
      throw new IdxFormatException(file, "corrupt gzip stream (" + e.getMessage() + ")");
    }
  }

  private static int[] readHeader(DataInputStream in, String file, int expectedDims)
      throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IdxFormatException(file, "truncated: shorter than the 4-byte magic number");
    }
    int type = (magic >>> 8) & 0xff;
    int dims = magic & 0xff;
    int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
    if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || dims != expectedDims) {
      throw new IdxFormatException(
          file,
          String.format(
              "wrong magic number 0x%08x, expected 0x%08x (unsigned bytes, %d dimension%s);"
                  + " is this the right file?",
              magic, expectedMagic, expectedDims, expectedDims == 1 ? "" : "s"));
    }
    int[] sizes = new int[dims];
    for (int i = 0; i < dims; i++) {
      try {
        sizes[i] = in.readInt();
      } catch (EOFException e) {
        throw new IdxFormatException(file, "truncated in the header (dimension " + i + ")");
      }
      if (sizes[i] < 0) {
        throw new IdxFormatException(file, "negative size " + sizes[i] + " of dimension " + i);
      }
    }
    return sizes;
  }

  private static byte[] readExactly(DataInputStream in, Path file, int n) throws IOException {
    byte[] data = new byte[n];
    int read;
    try {
      read = in.readNBytes(data, 0, n);
    } catch (EOFException e) {
      // GZIPInputStream throws this when the compressed stream itself is cut short.
      throw new IdxFormatException(file, "truncated: the gzip stream ends early");
    }
    if (read < n) {
      throw new IdxFormatException(
          file, "truncated: the header announces " + n + " bytes of data, the file holds " + read);
    }
    if (in.read() != -1) {
      throw new IdxFormatException(
          file, "holds more data than its header announces (" + n + " bytes)");
    }
    return data;
  }
}
