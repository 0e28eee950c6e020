package dev.tapegrad.rnn.cli;

import dev.tapegrad.tensor.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code java -jar rnn.jar}: train, sample and evaluate character-level GRU models.
 *
 * <p>This is the only class that ends the process ({@link System#exit}, and {@link #quitNow} for
 * the two cases that cannot wait); everything below it returns a status or throws. User mistakes (a
 * wrong flag, a missing file, a corrupt checkpoint) print one line and exit non-zero: 2 for a wrong
 * command line, 1 for anything else. A training run stopped by SIGINT or SIGTERM saves itself and
 * exits with 130 or 143.
 */
@Command(name = "rnn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, BenchCommand.class,
        GraphCommand.class, VisualizeCommand.class},
    description = {"Train a character-level GRU on a text file and generate text from it.", ""},
    footer = {"", "Examples:",
        "  java -jar rnn.jar train                     # learn to write Java from Tapegrad's own sources (~2 min)",
        "  java -jar rnn.jar train --data input.txt --minutes 10",
        "  java -jar rnn.jar sample --prime 'public ' --length 400",
        "  java -jar rnn.jar eval --checkpoint runs/my-run --data held-out.txt",
        "  java -jar rnn.jar graph --out step.dot        # one training step as a Graphviz graph",
        "", "Run 'java -jar rnn.jar COMMAND --help' for a command's options."})
public final class Main implements Callable<Integer> {

  /** Exit status for a malformed command line. */
  static final int USAGE = 2;
  /** Exit status for bad input or a failed run. */
  static final int FAILURE = 1;

  @Spec
  private CommandSpec spec;

  /**
   * Runs the command line and exits with its status. When the Vector API module is missing, the
   * JVM is first relaunched with it (see {@link VectorRelaunch}).
   */
  public static void main(String[] args) {
    Optional<List<String>> relaunch = VectorRelaunch.command(Main.class.getName(), args);
    if (relaunch.isPresent()) {
      try {
        System.exit(VectorRelaunch.run(relaunch.get()));
      } catch (IOException e) {
        System.err.println("note: could not relaunch Java with the Vector API (" + e.getMessage()
            + "); continuing with the scalar kernels");
      }
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Ends the process at once with {@code status}, without running shutdown hooks. Used for a
   * second Ctrl-C during training (every file is written atomically, so none is left torn) and by
   * a relaunching parent that must end with its child's status while it is already shutting down.
   *
   * @param status the exit status
   */
  static void quitNow(int status) {
    Runtime.getRuntime().halt(status);
  }

  /**
   * Runs the command line without exiting, for tests and embedding.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit status
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, a) -> {
      CommandLine cmd = e.getCommandLine();
      err.println("error: " + e.getMessage());
      err.println("Try '" + cmd.getCommandSpec().qualifiedName(" ") + " --help' for usage.");
      return USAGE;
    });
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof java.io.UncheckedIOException) {
        // A user-facing problem: one readable line, no stack trace.
        err.println("error: " + e.getMessage());
        return FAILURE;
      }
      throw e;
    });
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      err.printf(Locale.ROOT, "error: Java ran out of memory (its heap is limited to %,d MB); give it more with -Xmx, "
          + "for example java -Xmx8g -jar rnn.jar ...%n", Runtime.getRuntime().maxMemory() >> 20);
      return FAILURE;
    }
  }

  /** Without a command: prints the usage to standard error, as for any other malformed command line. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** Prints the version, the kernel backend and the Java runtime. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tapegrad " + version(),
          "kernels: " + Backend.current(),
          "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }

  /** Returns the project version packed into the jar at build time. */
  static String version() {
    Package p = Main.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
