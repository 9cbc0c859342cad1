package org.depprune.driver.cli;

import java.util.Map;
import org.depprune.model.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code depprune}: the entry point of every DepPrune command. */
@Command(
    name = "depprune",
    mixinStandardHelpOptions = true,
    versionProvider = DepPruneCli.VersionProvider.class,
    description = "Structural pruning of Deeplearning4j models, with a distributed plan search on Spark.",
    subcommands = {
      TrainBaseCommand.class, GraphCommand.class, PruneCommand.class, StatsCommand.class,
      BenchmarkCommand.class, BenchCriteriaCommand.class, BenchResultsCommand.class, SearchCommand.class,
      ExportDataCommand.class, BenchDataCommand.class, ExportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DepPruneCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests redirect its output with {@code setOut}/{@code setErr}. */
  public static CommandLine commandLine() {
    return new CommandLine(new DepPruneCli()).setExecutionExceptionHandler(new ErrorHandler());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
  }

  /** {@code --version}: DepPrune's version and the versions it was built against. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Map<String, String> v = Versions.all();
      return new String[] {
        "DepPrune " + v.get("depprune"),
        "DL4J " + v.get("dl4j") + ", Spark " + v.get("spark") + ", Java " + v.get("java")
      };
    }
  }

  /** Bad input ends in one clear line on stderr, not a stack trace (unless --debug is wanted). */
  static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
      commandLine.getErr().println("depprune " + commandLine.getCommandName() + ": " + message(e));
      if (System.getenv("DEPPRUNE_DEBUG") != null) {
        e.printStackTrace(commandLine.getErr());
      } else {
        commandLine.getErr().println("(set DEPPRUNE_DEBUG=1 for the stack trace)");
      }
      return 1;
    }

    private static String message(Throwable e) {
      if (e instanceof java.nio.file.NoSuchFileException missing) {
        return missing.getFile() + ": " + missing.getReason();
      }
      return e.getMessage() != null ? e.getMessage() : e.toString();
    }
  }
}
