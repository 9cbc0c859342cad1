/**
 * Model definitions and model files: the residual CNN that DepPrune prunes by default, and
 * saving and loading DL4J model zips together with their provenance (who made them, from what,
 * with which versions).
 */
package org.depprune.model;
