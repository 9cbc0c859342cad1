/**
 * Plan space and evolution: the first round's plans (a uniform grid and seeded random per-layer
 * ratios for every criterion) and NSGA-II's refinement of per-layer ratios and criteria (MOEA
 * Framework), which asks the search for each offspring's objectives.
 */
package org.depprune.driver.space;
