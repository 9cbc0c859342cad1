package org.depprune.driver.data;

import java.util.List;
import java.util.Map;

/**
 * What a search's data was, written to {@code data.json} and the summary, so a resumed search can
 * check it reads the same data and a reader can rebuild the split: the source, the split, the sizes,
 * the classes, the example layout and normalisation, and the records skipped as corrupt.
 *
 * @param split how validation was separated ({@link SplitPlan#describe()})
 * @param heldOutExamples the whole validation set
 * @param validationExamples the part of it trials are scored on ({@code search.validation-examples})
 * @param validationScoring {@code broadcast} or {@code partitions}
 * @param mean per-group means of {@code standard} normalisation, empty otherwise
 * @param skipped corrupt records left out, by part (train, validation, test)
 * @param skippedSamples a few of them, with what was wrong
 */
public record DataDescription(
    String format,
    String train,
    String validation,
    String test,
    SplitPlan split,
    String splitText,
    long trainExamples,
    long heldOutExamples,
    long validationExamples,
    long testExamples,
    List<Long> partitionSizes,
    List<String> labels,
    List<Long> exampleShape,
    String layout,
    String normalization,
    List<Double> mean,
    List<Double> std,
    String validationScoring,
    Map<String, Long> skipped,
    List<String> skippedSamples) {

  /** The fields a resumed search must find unchanged. */
  public boolean sameData(DataDescription other) {
    return other != null && format.equals(other.format) && train.equals(other.train)
        && validation.equals(other.validation) && split.equals(other.split) && trainExamples == other.trainExamples
        && heldOutExamples == other.heldOutExamples && validationExamples == other.validationExamples && labels.equals(other.labels)
        && exampleShape.equals(other.exampleShape);
  }
}
