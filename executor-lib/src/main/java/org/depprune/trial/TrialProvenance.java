package org.depprune.trial;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a search's model comes from, saved inside its zip: the base model, the plan (replayable:
 * the same plan on the same base gives the same network), the finetune budget and seed, and the
 * search's config hash and versions.
 *
 * @param format the record's file-format version ({@link org.depprune.model.ModelFiles#PROVENANCE_FORMAT})
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
    String configHash,
    Map<String, String> versions,
    String createdAt) {
  public TrialProvenance {
    ratios = new TreeMap<>(ratios);
    versions = Map.copyOf(versions);
  }
}
