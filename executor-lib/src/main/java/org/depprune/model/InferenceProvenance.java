package org.depprune.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Where an inference copy comes from ({@code depprune export}): the model it was made from, that
 * model's own provenance (a pruned model's base, criterion and steps), and what the export did.
 *
 * @param format the record's file-format version ({@link ModelFiles#PROVENANCE_FORMAT})
 * @param source the model file exported
 * @param sourceProvenance that file's provenance, or null when DepPrune did not write it
 * @param folded the batch norms folded into the layer before them, as {@code "bn into layer"}
 * @param removed the dropout layers removed (every layer's dropout is cleared too)
 * @param fused the activation layers fused into the layer before them, as {@code "act into layer"}
 *     (empty in files written before fusion existed)
 */
public record InferenceProvenance(
    int format,
    String source,
    JsonNode sourceProvenance,
    List<String> folded,
    List<String> removed,
    List<String> fused,
    long paramsBefore,
    long paramsAfter,
    Map<String, String> versions,
    String createdAt) {
  public InferenceProvenance {
    folded = List.copyOf(folded);
    removed = List.copyOf(removed);
    fused = fused == null ? List.of() : List.copyOf(fused);
    versions = Map.copyOf(versions);
  }
}
