package org.depprune.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mini-batches of an {@link ExampleSet} as a DL4J {@link DataSetIterator}: features
 * {@code [batch, ...exampleShape]} (examples NCHW), labels one-hot {@code [batch, classes]}.
 * Batches are built on demand from the set, so an iterator over the whole training set costs no
 * extra memory.
 *
 * <p>With a shuffle seed, every pass (each {@link #reset()}) visits the examples in a new order
 * drawn from a random stream seeded once at construction: the same seed and the same number of
 * passes give the same batches. Without one, the order is the order of {@code indices}.
 */
public final class BatchIterator implements DataSetIterator {
  private static final long serialVersionUID = 1L;

  private final ExampleSet examples;
  private final int[] indices;
  private final int batchSize;
  private final SplittableRandom shuffle;
  private int[] order;
  private int cursor;
  private DataSetPreProcessor preProcessor;

  private BatchIterator(
      ExampleSet examples, int[] indices, int batchSize, SplittableRandom shuffle) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, found " + batchSize);
    }
    for (int i : indices) {
      if (i < 0 || i >= examples.size()) {
        throw new IllegalArgumentException(
            "example index " + i + " is not in [0, " + examples.size() + ")");
      }
    }
    this.examples = examples;
    this.indices = indices.clone();
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    reset();
  }

  /** Every example in order. */
  public static BatchIterator ordered(ExampleSet examples, int batchSize) {
    return ordered(examples, allIndices(examples.size()), batchSize);
  }

  /** The examples at {@code indices}, in that order, every pass. */
  public static BatchIterator ordered(ExampleSet examples, int[] indices, int batchSize) {
    return new BatchIterator(examples, indices, batchSize, null);
  }

  /** The examples at {@code indices}, reshuffled at every pass from a stream seeded by {@code seed}. */
  public static BatchIterator shuffled(
      ExampleSet examples, int[] indices, int batchSize, long seed) {
    return new BatchIterator(examples, indices, batchSize, new SplittableRandom(seed));
  }

  /** The number of examples one pass visits. */
  public int numExamples() {
    return indices.length;
  }

  @Override
  public boolean hasNext() {
    return cursor < order.length;
  }

  @Override
  public DataSet next() {
    return next(batchSize);
  }

  @Override
  public DataSet next(int num) {
    if (!hasNext()) {
      throw new NoSuchElementException("no batch left in this pass; call reset()");
    }
    int n = Math.min(num, order.length - cursor);
    int length = examples.featureLength();
    float[] features = new float[n * length];
    float[] labels = new float[n * examples.numClasses()];
    for (int k = 0; k < n; k++) {
      int i = order[cursor + k];
      examples.copyFeatures(i, features, k * length);
      labels[k * examples.numClasses() + examples.label(i)] = 1f;
    }
    cursor += n;
    long[] shape = new long[examples.exampleShape().length + 1];
    shape[0] = n;
    System.arraycopy(examples.exampleShape(), 0, shape, 1, shape.length - 1);
    INDArray x = Nd4j.create(features, shape, 'c');
    INDArray y = Nd4j.create(labels, new long[] {n, examples.numClasses()}, 'c');
    DataSet batch = new DataSet(x, y);
    if (preProcessor != null) {
      preProcessor.preProcess(batch);
    }
    return batch;
  }

  @Override
  public void reset() {
    cursor = 0;
    if (shuffle == null) {
      order = indices;
      return;
    }
    int[] permutation = Shuffle.permutation(indices.length, shuffle);
    order = new int[indices.length];
    for (int k = 0; k < order.length; k++) {
      order[k] = indices[permutation[k]];
    }
  }

  @Override
  public int inputColumns() {
    return examples.featureLength();
  }

  @Override
  public int totalOutcomes() {
    return examples.numClasses();
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  @Override
  public boolean asyncSupported() {
    return true;
  }

  @Override
  public int batch() {
    return batchSize;
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  @Override
  public List<String> getLabels() {
    return null;
  }

  private static int[] allIndices(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }
}
