/**
 * What one search task runs: a {@link org.depprune.trial.Plan} (criterion, per-layer ratios and
 * recovery options such as a {@link org.depprune.trial.SparseWarmup}, with a stable content id), a {@link org.depprune.trial.Trial} (a plan at one finetune budget,
 * with its seed and partition), and the {@link org.depprune.trial.TrialRunner} that prunes the
 * base model by the plan, finetunes it and measures it, returning a small
 * {@link org.depprune.trial.TrialResult}. No Spark here: the driver ships these to its executors.
 */
package org.depprune.trial;
