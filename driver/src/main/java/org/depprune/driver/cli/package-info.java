/** The {@code depprune} command line (picocli): one class per subcommand. */
package org.depprune.driver.cli;
