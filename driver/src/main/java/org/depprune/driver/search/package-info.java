/**
 * The distributed pruning search: a validated config ({@link org.depprune.driver.search.SearchConfig}),
 * the plan space (uniform grid, seeded random per-layer ratios, NSGA-II refinement), trials run as
 * Spark tasks ({@link org.depprune.driver.search.TrialExecutor}), successive halving, the Pareto
 * front by validation accuracy and MACs, and the results store that makes a search resumable.
 */
package org.depprune.driver.search;
