package org.depprune.driver.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package import graph of both modules' main sources, read from the code (imports and fully
 * qualified names; comments stripped): it has no cycle, and each package stays on its floor, as
 * the README draws them.
 */
class PackageFloorsTest {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.depprune\\.((?:[a-z]+\\.)*[a-z]+)\\.[A-Z]");

  /** The floors, lowest first: a package may use its own floor's other packages only where listed below. */
  static final List<Set<String>> FLOORS = List.of(
      Set.of("backend", "network", "data"),
      Set.of("layers"),
      Set.of("graph"),
      Set.of("importance", "metrics", "model"),
      Set.of("pruning", "sparse", "train", "export"),
      Set.of("trial"),
      Set.of("driver.config"),
      Set.of("driver.data"),
      Set.of("driver.results"),
      Set.of("driver.space", "driver.execution", "driver.finetune"),
      Set.of("driver.search"),
      Set.of("driver.cli"),
      Set.of("driver"));

  static Map<String, Set<String>> imports;

  @BeforeAll
  static void read() throws IOException {
    imports = new TreeMap<>();
    for (Path root : List.of(PROJECT.resolve("executor-lib/src/main/java"), PROJECT.resolve("driver/src/main/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java"))
            .filter(f -> root.relativize(f).startsWith("org/depprune")).toList()) {
          String pkg = root.relativize(file.getParent()).toString().replace('/', '.').replaceFirst("^org\\.depprune\\.?", "");
          Set<String> used = imports.computeIfAbsent(pkg, k -> new TreeSet<>());
          Matcher m = REFERENCE.matcher(code(Files.readString(file)));
          while (m.find()) {
            if (!m.group(1).equals(pkg)) {
              used.add(m.group(1));
            }
          }
        }
      }
    }
  }

  /** {@code source} without comments and string literals. */
  static String code(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ").replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
  }

  @Test
  void everyPackageIsOnAFloor() {
    Set<String> placed = new TreeSet<>();
    FLOORS.forEach(placed::addAll);
    assertEquals(placed, imports.keySet(), "packages and floors");
  }

  @Test
  void importsGoDownOrAcrossWithoutACycle() {
    List<String> upward = new ArrayList<>();
    imports.forEach((pkg, used) -> used.forEach(u -> {
      if (floor(u) > floor(pkg)) {
        upward.add(pkg + " -> " + u);
      }
    }));
    assertEquals(List.of(), upward, "imports that go up a floor");
    List<String> cycle = cycle();
    assertTrue(cycle.isEmpty(), "a cycle: " + cycle);
  }

  @Test
  void theSearchKnowsPlansAndResultsNotTheGraph() {
    imports.forEach((pkg, used) -> {
      if (pkg.startsWith("driver") && !pkg.equals("driver.cli")) {
        assertTrue(used.stream().noneMatch(u -> u.equals("graph") || u.equals("layers")), pkg + " uses " + used);
      }
    });
    assertEquals(Set.of(), imports.get("network"), "the adapter stands on DL4J alone");
  }

  @Test
  void theCheckFindsACycleAndAnUpwardImport() {
    Map<String, Set<String>> saved = imports;
    try {
      imports = new TreeMap<>(Map.of("graph", Set.of("pruning"), "pruning", Set.of("graph")));
      assertEquals(List.of("graph", "pruning", "graph"), cycle());
      assertTrue(floor("pruning") > floor("graph"), "graph -> pruning goes up");
    } finally {
      imports = saved;
    }
  }

  private static int floor(String pkg) {
    for (int f = 0; f < FLOORS.size(); f++) {
      if (FLOORS.get(f).contains(pkg)) {
        return f;
      }
    }
    throw new AssertionError("package " + pkg + " is on no floor");
  }

  /** A cycle of the import graph, as a path that ends where it starts; empty when there is none. */
  private static List<String> cycle() {
    Map<String, Integer> state = new TreeMap<>();
    for (String start : imports.keySet()) {
      List<String> path = new ArrayList<>();
      if (visit(start, state, path)) {
        return path;
      }
    }
    return List.of();
  }

  private static boolean visit(String pkg, Map<String, Integer> state, List<String> path) {
    int s = state.getOrDefault(pkg, 0);
    if (s == 2) {
      return false;
    }
    path.add(pkg);
    if (s == 1) {
      return true;
    }
    state.put(pkg, 1);
    for (String next : imports.getOrDefault(pkg, Set.of())) {
      if (visit(next, state, path)) {
        return true;
      }
    }
    state.put(pkg, 2);
    path.remove(path.size() - 1);
    return false;
  }
}
