/**
 * The search, start to end: {@link org.depprune.driver.search.SearchJob} reads and checks the
 * inputs, runs the rounds ({@link org.depprune.driver.search.SearchRounds}: the first round, the
 * evolution, successive halving; {@link org.depprune.driver.search.Promotion} picks each round's
 * plans, by budget when the config has budgets), finishes the front and the budgets' winners,
 * writes the tables, summary and report, and
 * runs the final finetune. The top floor of the driver below the command line: it uses the plan
 * space, trial execution, results and final-finetune packages, none of which uses it.
 */
package org.depprune.driver.search;
