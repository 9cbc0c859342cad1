/**
 * The Spark application: it lists candidate pruning plans, runs one Spark task per trial, and
 * keeps the Pareto-best plans by accuracy and MACs. Its packages stand on floors, lowest first:
 * {@code config}; {@code results}; {@code space}, {@code execution} and {@code finetune};
 * {@code search}; {@code cli}. It knows plans and results only; the pruning itself lives in
 * {@code executor-lib}.
 */
package org.depprune.driver;
