package org.depprune.driver.execution;

import java.io.Serializable;
import org.apache.spark.util.SerializableConfiguration;
import org.depprune.data.LabeledImages;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.trial.TrialSettings;

/**
 * What every trial task reads, broadcast once per search: the base model's bytes, the shared
 * settings, the training images with the partitions' indices into them, the validation images,
 * and where trial models go.
 *
 * @param partitions disjoint index sets into {@code train}, none of them validation images
 * @param trialsDir directory (Hadoop URI) for the trials' models and failure traces
 */
public record TrialContext(
    byte[] baseModel,
    String baseName,
    TrialSettings settings,
    LabeledImages train,
    int[][] partitions,
    LabeledImages validation,
    String trialsDir,
    SerializableConfiguration hadoop,
    SearchProvenance provenance)
    implements Serializable {}
