/**
 * Which native code runs the arithmetic: the choice between ND4J's oneDNN build with DL4J's
 * oneDNN layer helpers and ND4J's plain build ({@link org.depprune.backend.CpuEngines}).
 */
package org.depprune.backend;
