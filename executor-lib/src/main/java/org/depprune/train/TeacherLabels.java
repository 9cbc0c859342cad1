package org.depprune.train;

import java.util.Arrays;
import java.util.List;
import org.depprune.network.Network;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The batches of another iterator with the teacher's softmax probabilities appended to the
 * labels: one-hot {@code [N, C]} becomes {@code [N, 2C]}, the layout {@link DistillationLoss}
 * reads. The teacher runs in inference mode (no dropout) on each batch's features as the wrapped
 * iterator (and its preprocessor) produced them.
 *
 * <p>Not asynchronous: the teacher is one network and is not called from two threads.
 */
public final class TeacherLabels implements DataSetIterator {
  private static final long serialVersionUID = 1L;

  private final DataSetIterator data;
  private final transient Network teacher;

  /** @param teacher a classifier with as many outputs as {@code data} has label columns */
  public TeacherLabels(DataSetIterator data, Network teacher) {
    this.data = java.util.Objects.requireNonNull(data, "data");
    this.teacher = java.util.Objects.requireNonNull(teacher, "teacher");
  }

  @Override
  public DataSet next() {
    return withTeacher(data.next());
  }

  @Override
  public DataSet next(int num) {
    return withTeacher(data.next(num));
  }

  private DataSet withTeacher(DataSet batch) {
    INDArray labels = batch.getLabels();
    if (labels == null || labels.rank() != 2) {
      throw new IllegalArgumentException(
          "distillation needs one-hot labels [N, classes], found "
              + (labels == null ? "none" : Arrays.toString(labels.shape())));
    }
    if (batch.getFeaturesMaskArray() != null) {
      throw new UnsupportedOperationException(
          "distillation does not pass feature masks to the teacher; use data without feature masks");
    }
    // The teacher's forward pass is compute: it pauses, like a minibatch, for a latency measurement.
    INDArray probabilities = org.depprune.metrics.ComputeLock.shared(() -> teacher.output(batch.getFeatures()));
    if (probabilities.rank() != 2 || probabilities.size(1) != labels.size(1)) {
      throw new IllegalArgumentException(
          "the teacher gives outputs " + Arrays.toString(probabilities.shape()) + " for labels "
              + Arrays.toString(labels.shape()) + "; it must have one output per label column");
    }
    INDArray wide = Nd4j.hstack(labels, probabilities.castTo(labels.dataType()));
    return new DataSet(batch.getFeatures(), wide, null, batch.getLabelsMaskArray());
  }

  @Override
  public boolean hasNext() {
    return data.hasNext();
  }

  @Override
  public void reset() {
    data.reset();
  }

  @Override
  public boolean resetSupported() {
    return data.resetSupported();
  }

  @Override
  public boolean asyncSupported() {
    return false;
  }

  @Override
  public int inputColumns() {
    return data.inputColumns();
  }

  /** The label columns of a batch: twice the wrapped iterator's. */
  @Override
  public int totalOutcomes() {
    return 2 * data.totalOutcomes();
  }

  @Override
  public int batch() {
    return data.batch();
  }

  /** Sets the wrapped iterator's preprocessor: it runs before the teacher sees the features. */
  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    data.setPreProcessor(preProcessor);
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return data.getPreProcessor();
  }

  @Override
  public List<String> getLabels() {
    return data.getLabels();
  }
}
