/**
 * Plan space and evolution: the first round's plans (a uniform grid and seeded random per-layer
 * ratios for every criterion, or, with budgets, plans scaled to sit at each budget by
 * {@link org.depprune.driver.space.BudgetScaler}) and NSGA-II's refinement of per-layer ratios,
 * criteria and recovery options (MOEA Framework, constrained by a budget), which asks the search
 * for each offspring's objectives.
 */
package org.depprune.driver.space;
