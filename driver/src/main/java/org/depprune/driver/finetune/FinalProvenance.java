package org.depprune.driver.finetune;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a final model comes from, saved inside its zip: the base model and the plan (replayable),
 * the search trial it continued from, how it was trained (training master, epochs, batch size
 * per worker, averaging frequency, workers, learning rate, images, seed), what it reached, and
 * the search's config hash and versions.
 *
 * @param format the record's file-format version ({@link org.depprune.model.ModelFiles#PROVENANCE_FORMAT})
 * @param valLoss validation loss before the finetune, then after each epoch
 * @param testAccuracy null when the data has no test set
 * @param labels the class names in the network's output order
 * @param learningRate 0 when the search's recipe gave the peak rate; otherwise the peak
 * @param schedule cosine, constant or exponential ({@code lrDecay} per epoch)
 * @param distilled whether the finetune distilled from the base model
 * @param role search (the budget's choice) or uniform (its best uniform plan, for comparison)
 */
public record FinalProvenance(
    int format,
    String base,
    String planId,
    String criterion,
    SortedMap<String, Double> ratios,
    String fromTrial,
    String trainingMaster,
    int epochs,
    int batchSizePerWorker,
    int averagingFrequency,
    int workers,
    double learningRate,
    double lrDecay,
    String schedule,
    boolean distilled,
    String role,
    int trainImages,
    long seed,
    List<Double> valLoss,
    double valAccuracy,
    Double testAccuracy,
    List<String> labels,
    String configHash,
    Map<String, String> versions,
    String createdAt) {
  public FinalProvenance {
    ratios = new TreeMap<>(ratios);
    valLoss = List.copyOf(valLoss);
    labels = List.copyOf(labels);
    versions = Map.copyOf(versions);
  }
}
