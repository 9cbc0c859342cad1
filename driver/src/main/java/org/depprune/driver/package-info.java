/**
 * The Spark application: it lists candidate pruning plans, runs one Spark task per plan, and
 * keeps the Pareto-best plans by accuracy and MACs. It knows plans and results only; the
 * pruning itself lives in {@code executor-lib}.
 */
package org.depprune.driver;
