package org.depprune.trial;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a search's model comes from, saved inside its zip: the base model, the plan (replayable:
 * the same plan on the same base gives the same network), the finetune budget and seed, and the
 * search's config hash and versions.
 *
 * @param format the record's file-format version ({@link org.depprune.model.ModelFiles#PROVENANCE_FORMAT})
 * @param labels the class names in output order: output {@code i} is {@code labels[i]}
 */
public record TrialProvenance(
    int format,
    String base,
    String planId,
    String criterion,
    SortedMap<String, Double> ratios,
    int budget,
    long seed,
    int partition,
    List<String> labels,
    String configHash,
    Map<String, String> versions,
    String createdAt) {
  public TrialProvenance {
    ratios = new TreeMap<>(ratios);
    labels = List.copyOf(labels);
    versions = Map.copyOf(versions);
  }
}
