package org.depprune.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.junit.jupiter.api.Test;

/**
 * The coverage table that cannot go stale: every concrete {@code Layer}, {@code GraphVertex} and
 * {@code InputPreProcessor} class in DL4J's configuration packages (deeplearning4j-nn's
 * {@code org.deeplearning4j.nn.conf} and {@code org.deeplearning4j.preprocessors}, and the Keras
 * import's own classes) must either have a
 * pruner in {@link PrunerRegistry#defaults()} or a recorded reason for refusal
 * ({@link Refusals}). The table (class, supported or refused, why) is written to
 * {@code target/layer-coverage.md} and must equal the one in the README; when it does not, the
 * README's table is rewritten and the test fails, so a change in coverage is always committed
 * with the README that shows it.
 */
class CoverageTableTest {
  private static final String START = "<!-- layer-coverage:start (written by CoverageTableTest) -->";
  private static final String END = "<!-- layer-coverage:end -->";

  record Row(String type, String kind, String status, String why) {}

  @Test
  void everyConfigurationClassIsPrunedOrRefusedWithAReason() throws IOException, URISyntaxException {
    PrunerRegistry registry = PrunerRegistry.defaults();
    List<Row> rows = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Class<?> type : configurationClasses()) {
      String kind = Layer.class.isAssignableFrom(type) ? "layer"
          : GraphVertex.class.isAssignableFrom(type) ? "vertex" : "preprocessor";
      String name = type.getName().replaceFirst("^org\\.deeplearning4j\\.nn\\.", "");
      if (type == LayerVertex.class) {
        rows.add(new Row(name, kind, "wrapper", "a ComputationGraph's holder of a layer: the graph reads the layer inside, whose own row applies"));
      } else if (registry.layerTypes().contains(type) || registry.preprocessorTypes().contains(type)) {
        rows.add(new Row(name, kind, "pruned", pruner(registry, type)));
      } else if (registry.refusal(type).isPresent()) {
        rows.add(new Row(name, kind, "refused", registry.refusal(type).get()));
      } else {
        missing.add(type.getName());
      }
    }
    int scanned = rows.size() + missing.size();
    assertTrue(scanned > 90, "found " + scanned + " configuration classes: the jar scan works");
    if (!missing.isEmpty()) {
      fail(missing.size() + " DL4J configuration classes have neither a pruner nor a recorded reason"
          + " for refusal (add a LayerPruner / PreprocessorPruner to PrunerRegistry.defaults(), or a"
          + " line to Refusals.addTo): " + missing);
    }
    String table = table(rows);
    Path target = Path.of("target", "layer-coverage.md");
    Files.createDirectories(target.getParent());
    Files.writeString(target, table, StandardCharsets.UTF_8);

    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    assertTrue(start >= 0 && end > start, "README.md has the markers " + START + " and " + END);
    String current = text.substring(start + START.length(), end);
    if (!current.equals("\n" + table)) {
      Files.writeString(readme, text.substring(0, start + START.length()) + "\n" + table + text.substring(end),
          StandardCharsets.UTF_8);
      assertEquals(table, current.strip() + "\n",
          "README.md's layer coverage table was stale; it has been rewritten from the registry: commit README.md");
    }
  }

  private static String pruner(PrunerRegistry registry, Class<?> type) {
    Object pruner = registry.layerTypes().contains(type) ? registry.layerPruner(type) : registry.preprocessorPruner(type);
    String name = pruner.getClass().getSimpleName();
    return name.isEmpty() ? pruner.getClass().getName() : name;
  }

  private static String table(List<Row> rows) {
    long pruned = rows.stream().filter(r -> r.status().equals("pruned")).count();
    long refused = rows.stream().filter(r -> r.status().equals("refused")).count();
    StringBuilder out = new StringBuilder();
    out.append(String.format("%d classes: %d pruned, %d refused with the reason, %d wrapper.%n%n",
        rows.size(), pruned, refused, rows.size() - pruned - refused));
    out.append("| class | kind | status | pruner, or why not |\n| --- | --- | --- | --- |\n");
    for (Row r : rows) {
      out.append("| `").append(r.type()).append("` | ").append(r.kind()).append(" | ").append(r.status())
          .append(" | ").append(r.why().replace("|", "\\|").replace("\n", " ")).append(" |\n");
    }
    return out.toString();
  }

  /** Concrete public Layer, GraphVertex and InputPreProcessor classes of the two DL4J jars. */
  private static List<Class<?>> configurationClasses() throws IOException, URISyntaxException {
    TreeMap<String, Class<?>> found = new TreeMap<>();
    scan(Layer.class, "org/deeplearning4j/nn/conf/", found);
    scan(Layer.class, "org/deeplearning4j/preprocessors/", found); // the Keras reshapes live here
    scan(TensorFlowCnnToFeedForwardPreProcessor.class, "org/deeplearning4j/nn/modelimport/keras/", found);
    return new ArrayList<>(found.values());
  }

  private static void scan(Class<?> anchor, String prefix, TreeMap<String, Class<?>> found)
      throws IOException, URISyntaxException {
    Path jar = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        String entry = entries.nextElement().getName();
        if (!entry.startsWith(prefix) || !entry.endsWith(".class")) {
          continue;
        }
        String className = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
        Class<?> type;
        try {
          type = Class.forName(className, false, CoverageTableTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue; // needs an optional dependency we do not ship; not a class a user's network holds
        }
        boolean config = Layer.class.isAssignableFrom(type) || GraphVertex.class.isAssignableFrom(type)
            || InputPreProcessor.class.isAssignableFrom(type);
        int mods = type.getModifiers();
        if (config && Modifier.isPublic(mods) && !Modifier.isAbstract(mods) && !type.isInterface()
            && !type.isAnonymousClass()) {
          found.put(type.getName(), type);
        }
      }
    }
  }
}
