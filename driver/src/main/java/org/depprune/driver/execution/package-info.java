/**
 * Trial execution on Spark: the broadcast {@link org.depprune.driver.execution.TrialContext}, the
 * code one task runs for one trial ({@link org.depprune.driver.execution.TrialTask}), the
 * {@link org.depprune.driver.execution.TrialExecutor} that puts trials on Spark (a job per trial,
 * or a stage per round) and turns a failed job into an error row, and the test scoring of saved
 * models.
 */
package org.depprune.driver.execution;
