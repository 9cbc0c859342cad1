package org.depprune.model;

import java.util.List;
import java.util.Map;

/**
 * Where a trained base model comes from: its definition, the training run, the data split it
 * saw, the accuracy it reached and the versions that made it. Saved inside the model zip.
 *
 * @param format this record's file-format version ({@link #FORMAT})
 * @param spec the model definition's hyper-parameters, including the weight-init seed
 * @param trainExamples the training part of the train / validation split (all images less the
 *     validation ones): with {@code validationExamples} and {@code splitSeed} it reconstructs the split
 * @param trainedOnExamples the training images the model saw: all of them, or the first
 *     {@code --train-limit} of them
 * @param splitSeed the seed of the train / validation split
 * @param epochLosses the mean training loss of each epoch
 * @param dataDir where the training data was read from
 * @param createdAt an ISO-8601 instant
 */
public record TrainingProvenance(
    int format,
    String model,
    BaseModel.Spec spec,
    int epochs,
    int batchSize,
    int trainExamples,
    int trainedOnExamples,
    int validationExamples,
    long splitSeed,
    List<Double> epochLosses,
    double validationAccuracy,
    double testAccuracy,
    String dataDir,
    Map<String, String> versions,
    String createdAt) {

  /** The format version this code writes and reads. */
  public static final int FORMAT = ModelFiles.PROVENANCE_FORMAT;

  public TrainingProvenance {
    epochLosses = List.copyOf(epochLosses);
    versions = Map.copyOf(versions);
  }
}
