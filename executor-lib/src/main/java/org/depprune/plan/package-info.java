/**
 * A pruning plan (criterion and per-layer ratios, with a stable content id) and what one search
 * task does with it: {@link org.depprune.plan.TrialRunner} prunes the base model by the plan,
 * finetunes it on a budget of training images, and measures it, returning a small
 * {@link org.depprune.plan.TrialResult}. No Spark here: the driver ships these to its executors.
 */
package org.depprune.plan;
