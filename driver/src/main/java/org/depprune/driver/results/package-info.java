/**
 * Results, report and Pareto: a trial's typed {@link org.depprune.driver.results.ResultRow} and
 * its columns, the {@link org.depprune.driver.results.ResultStore} that records rows (append-only
 * JSON lines) and writes the CSV and Parquet tables, files written whole through Hadoop, Pareto
 * dominance, fronts, ranking and hypervolume (two or three objectives,
 * {@link org.depprune.driver.results.Objectives}), budgets' winners, the typed
 * {@link org.depprune.driver.results.SearchSummary}, and the tables and {@code report.html} that
 * show it. Below the search: it knows rows, not Spark jobs.
 */
package org.depprune.driver.results;
