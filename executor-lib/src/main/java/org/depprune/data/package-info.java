/**
 * Data sets for pruning and finetuning: an IDX file reader (the MNIST family's format, gzipped
 * or not), Fashion-MNIST as Debian's {@code dataset-fashion-mnist} package installs it, seeded
 * train / validation splits and partitions, and DL4J {@code DataSetIterator}s over them.
 *
 * <p>The test images are kept apart from the training images from the start: only final reports
 * read them.
 */
package org.depprune.data;
