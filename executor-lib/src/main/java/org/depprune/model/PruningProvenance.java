package org.depprune.model;

import java.util.List;
import java.util.Map;
import org.depprune.data.SplitSpec;
import org.depprune.graph.Pruning;

/**
 * Where a pruned model comes from: the base it was pruned from, how, and what was removed (a
 * replayable {@link Pruning}). Saved inside the model zip.
 *
 * @param format the record's file-format version ({@link ModelFiles#PROVENANCE_FORMAT})
 * @param base the base model: a file path or {@code zoo:NAME}
 * @param criterion the importance criterion's name
 * @param ratio the per-group pruning ratio
 * @param ignored the layers left unpruned
 * @param steps what was removed, step by step: each replays on the previous step's network
 * @param data the training data calibration and finetuning read, or null when none was used
 * @param split the train / validation split of that data, or null when none was used
 */
public record PruningProvenance(
    int format,
    String base,
    String criterion,
    double ratio,
    List<String> ignored,
    List<Pruning> steps,
    String data,
    SplitSpec split,
    long paramsBefore,
    long paramsAfter,
    Map<String, String> versions,
    String createdAt) {
  public PruningProvenance {
    ignored = List.copyOf(ignored);
    steps = List.copyOf(steps);
    versions = Map.copyOf(versions);
  }
}
