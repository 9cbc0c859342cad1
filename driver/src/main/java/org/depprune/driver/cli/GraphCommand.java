package org.depprune.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.depprune.graph.DepGraph;
import org.depprune.graph.Group;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code depprune graph}: the groups of coupled channels of a model. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = "List the dependency graph's groups: root, channels, members, and why a group cannot be pruned.")
final class GraphCommand implements Callable<Integer> {
  @Mixin ModelSource source;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Model net = source.load();
    DepGraph graph = source.graph(net).build();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(Map.of("model", source.describe(), "params", net.numParams(), "groups", rows(graph.groups()))));
      return 0;
    }
    out.printf("%s: %,d parameters, %d groups (%d prunable)%n", source.describe(), net.numParams(),
        graph.groups().size(), graph.prunableGroups().size());
    out.printf("%-28s %8s  %-8s %s%n", "group", "channels", "members", "status");
    for (Group g : graph.groups()) {
      out.printf("%-28s %8d  %-8d %s%n", g.id(), g.channels(), g.members().size(),
          g.blocked().orElse("prunable"));
    }
    return 0;
  }

  private static List<Map<String, Object>> rows(List<Group> groups) {
    return groups.stream().map(g -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", g.id());
      row.put("root", g.root());
      row.put("channels", g.channels());
      row.put("prunable", g.prunable());
      g.blocked().ifPresent(reason -> row.put("blocked", reason));
      row.put("members", g.members().stream().map(m -> Map.of(
          "node", m.node(), "side", m.side().name(), "type", m.type(), "width", m.width())).toList());
      return row;
    }).toList();
  }
}
