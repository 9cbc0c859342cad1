package org.depprune.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.depprune.backend.CpuEngine;
import org.depprune.backend.CpuEngines;

/** The versions that made a result: DepPrune's, DL4J's, Spark's (as built against) and Java's. */
public final class Versions {
  private Versions() {}

  /** DepPrune's version, as the build wrote it. */
  public static String depprune() {
    return built().getProperty("depprune");
  }

  /**
   * All versions, by name: {@code depprune}, {@code dl4j}, {@code spark}, {@code java}, and
   * {@code cpu-engine} ({@code onednn} or {@code plain}) once {@link CpuEngines#select} has run.
   */
  public static Map<String, String> all() {
    Properties built = built();
    Map<String, String> versions = new TreeMap<>();
    for (String name : built.stringPropertyNames()) {
      versions.put(name, built.getProperty(name));
    }
    versions.put("java", System.getProperty("java.version"));
    CpuEngine engine = CpuEngines.current();
    if (engine != null) {
      versions.put("cpu-engine", engine.id());
    }
    return Map.copyOf(versions);
  }

  private static Properties built() {
    Properties properties = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "versions.properties is missing from the classpath: rebuild with 'mvn package'");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
