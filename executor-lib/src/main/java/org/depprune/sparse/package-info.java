/**
 * Sparse learning before pruning, as DL4J training listeners that add a penalty's gradient before
 * the update: batch-norm L1 (Network Slimming), the group lasso over whole coupled channels
 * (DepGraph) and growing regularisation (Wang et al.).
 */
package org.depprune.sparse;
