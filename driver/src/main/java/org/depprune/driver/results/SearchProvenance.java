package org.depprune.driver.results;

import java.io.Serializable;
import java.util.Map;

/**
 * What every row of a search shares: the config hash (a results directory holds one search), the
 * search seed and the versions of DepPrune, DL4J, Spark and Java.
 */
public record SearchProvenance(String configHash, long searchSeed, Map<String, String> versions)
    implements Serializable {
  public SearchProvenance {
    versions = Map.copyOf(versions);
  }
}
