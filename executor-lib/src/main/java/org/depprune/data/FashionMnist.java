package org.depprune.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao et al., 2017): 60,000 training and 10,000 test images of 28x28 grey
 * clothing items in 10 classes, read from the IDX files that Debian's package
 * {@code dataset-fashion-mnist} installs in {@link #DEBIAN_DIR}, or from any directory that
 * holds the same four files (gzipped or not).
 */
public final class FashionMnist {
  /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  public static final int NUM_CLASSES = 10;
  public static final int ROWS = 28;
  public static final int COLS = 28;

  /** The class names, by label. */
  public static final java.util.List<String> CLASS_NAMES =
      java.util.List.of(
          "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private FashionMnist() {}

  /** The 60,000 training images of the data set in {@code dir}. */
  public static LabeledImages train(Path dir) throws IOException {
    return read(dir, "train");
  }

  /** The 10,000 test images of the data set in {@code dir}: for final reports only. */
  public static LabeledImages test(Path dir) throws IOException {
    return read(dir, "t10k");
  }

  private static LabeledImages read(Path dir, String prefix) throws IOException {
    Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
    Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
    IdxReader.Images images = IdxReader.readImages(imagesFile);
    byte[] labels = IdxReader.readLabels(labelsFile);
    if (images.count() != labels.length) {
      throw new IdxFormatException(
          labelsFile,
          "holds " + labels.length + " labels but " + imagesFile + " holds " + images.count()
              + " images; the two files must come from the same data set");
    }
    try {
      return new LabeledImages(images.rows(), images.cols(), NUM_CLASSES, images.pixels(), labels);
    } catch (IllegalArgumentException e) {
      throw new IdxFormatException(labelsFile, e.getMessage());
    }
  }

  private static Path find(Path dir, String baseName) throws NoSuchFileException {
    for (String name : new String[] {baseName + ".gz", baseName}) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new NoSuchFileException(
        dir.resolve(baseName + ".gz").toString(),
        null,
        "Fashion-MNIST file missing: install Debian's package with"
            + " 'apt-get install dataset-fashion-mnist' (it fills " + DEBIAN_DIR
            + "), or point --data at a directory holding " + baseName + "[.gz]");
  }
}
