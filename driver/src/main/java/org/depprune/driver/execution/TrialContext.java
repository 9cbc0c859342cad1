package org.depprune.driver.execution;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;
import org.depprune.data.Examples;
import org.depprune.driver.results.SearchProvenance;
import org.depprune.trial.TrialSettings;

/**
 * What every trial task reads, broadcast once per search: the base model's bytes, the shared
 * settings, the validation examples when they are small enough to travel (else null: trials are
 * then scored from the validation set's cached partitions), the class names, and where trial
 * models go. The training data is not here: each task runs on its cached partition.
 *
 * @param labels the class names in the network's output order, for the saved models' provenance
 * @param trialsDir directory (Hadoop URI) for the trials' models and failure traces
 */
public record TrialContext(
    byte[] baseModel,
    String baseName,
    TrialSettings settings,
    Examples validation,
    List<String> labels,
    String trialsDir,
    SerializableConfiguration hadoop,
    SearchProvenance provenance)
    implements Serializable {}
