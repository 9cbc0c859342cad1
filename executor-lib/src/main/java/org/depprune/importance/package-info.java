/**
 * Importance criteria: a score for every channel of a group; the lowest-scoring channels are
 * pruned first.
 */
package org.depprune.importance;
