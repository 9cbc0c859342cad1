/**
 * The search's settings: {@link org.depprune.driver.config.SearchConfig} reads HOCON over the
 * packaged reference config and checks every key and value before any Spark work. The driver's
 * ground floor: every other driver package reads it, it reads none of them.
 */
package org.depprune.driver.config;
