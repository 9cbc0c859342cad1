/**
 * The pruning loop: which channels of which groups to remove for a target ratio, given an
 * importance criterion and the layers to leave alone.
 */
package org.depprune.pruning;
