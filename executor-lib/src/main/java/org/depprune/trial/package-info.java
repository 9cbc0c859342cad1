/**
 * A pruning plan (criterion and per-layer ratios, with a stable content id) and what one search
 * task does with it: {@link org.depprune.trial.TrialRunner} prunes the base model by the plan,
 * finetunes it on a budget of training images, and measures it, returning a small
 * {@link org.depprune.trial.TrialResult}. No Spark here: the driver ships these to its executors.
 */
package org.depprune.trial;
