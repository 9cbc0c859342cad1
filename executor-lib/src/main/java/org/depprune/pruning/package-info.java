/**
 * The pruning loop, in the spirit of Torch-Pruning's pruners: which channels of which groups to
 * remove for a ratio (per network or per layer), ranked within each group, globally, or
 * across groups of the same structure (isomorphic ranking), for a MACs
 * target, in one step or several with a finetune between them, leaving chosen layers alone.
 */
package org.depprune.pruning;
