package dev.tapegrad.rnn.cli;

import dev.tapegrad.tensor.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * {@code java -jar rnn.jar}: train, sample and evaluate character-level models.
 *
 * <p>This is the only class that ends the process ({@link System#exit}, and {@link #quitNow} for
 * the two cases that cannot wait); everything below it returns a status or throws. User mistakes
 * print one line and exit non-zero: 2 for a wrong command line (picocli's own parse errors, and a
 * {@link ParameterException} a command throws for a value out of range), naming the flag and where
 * the help is; 1 for anything else (a missing file, a corrupt checkpoint). A training run stopped
 * by SIGINT or SIGTERM saves itself and exits with 130 or 143.
 *
 * <p>To add a command, list its class in {@code subcommands}; it gets {@code --version}, the
 * fitted help and the one-line errors from here. List its name in {@link #VECTOR_COMMANDS} too if
 * it computes long enough for the SIMD kernels to pay for a second start of Java.
 */
@Command(mixinStandardHelpOptions = true,
    subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, BenchCommand.class,
        GraphCommand.class, VisualizeCommand.class, HelpCommand.class, Main.VersionCommand.class},
    description = {"Train a character-level GRU, LSTM or RNN on a text file and generate text from it.", ""},
    footer = {"", "Examples:",
        "  ${ROOT-COMMAND-NAME} train          # learns to write Java, about 2 minutes",
        "  ${ROOT-COMMAND-NAME} train --data input.txt --minutes 10",
        "  ${ROOT-COMMAND-NAME} sample --prime 'public ' --length 400",
        "  ${ROOT-COMMAND-NAME} eval --data held-out.txt",
        "  ${ROOT-COMMAND-NAME} graph --out step.dot",
        "", "'${ROOT-COMMAND-NAME} COMMAND --help' shows a command's options."})
public final class Main implements Callable<Integer> {

  /** Exit status for a malformed command line. */
  static final int USAGE = 2;
  /** Exit status for bad input or a failed run. */
  static final int FAILURE = 1;
  /**
   * The commands that {@code java -jar rnn.jar} runs in a second Java with the Vector API (see
   * {@link VectorRelaunch}), because their work outlasts that start. Measured as whole processes,
   * median wall time relaunched against not, on a shared 2-core machine: {@code sample} of 200 to
   * 2,000 characters (hidden 192 and 512) 1.4 to 2.5 times slower relaunched, {@code graph} 1.6 and
   * {@code --version} 1.5 times slower; {@code eval} of a 10 kB text with the notebook's model 1.5
   * times faster (100 kB: 3.5 times), {@code train} for 10 of the notebook's steps 3 times faster.
   * {@code bench} reports the speed {@code train} runs at, so it runs where {@code train} does.
   */
  static final Set<String> VECTOR_COMMANDS = Set.of("train", "eval", "bench");
  /**
   * Exit status of a relaunched child whose parent is gone (128 + SIGHUP's 1, as for a closed
   * terminal): it stops as a shutdown does, saving a training run first.
   */
  static final int ORPHANED = 129;
  /** How the program is named when it cannot tell how it was started. */
  static final String DEFAULT_PROGRAM = "java -jar rnn.jar";
  /** The system property that selects the kernels (core's {@code Kernels}). */
  static final String KERNELS_PROPERTY = "tapegrad.kernels";
  /** The program's name as the relaunching parent saw it. */
  static final String PROGRAM_PROPERTY = "tapegrad.program";

  /** The help's widest, however wide the terminal: longer lines are hard to read. */
  private static final int MAX_HELP_WIDTH = 120;
  /** The help's narrowest: picocli lays out no less (its UsageMessageSpec's minimum). */
  private static final int MIN_HELP_WIDTH = 55;

  @Spec
  private CommandSpec spec;

  private final Screen screen;

  private Main(Screen screen) {
    this.screen = screen;
  }

  /**
   * Runs the command line and exits with its status. A command of {@link #VECTOR_COMMANDS} first
   * starts Java again with the Vector API module when it is missing (see {@link VectorRelaunch}).
   */
  public static void main(String[] args) {
    String program = invokedAs();
    // A relaunched child ends with its parent, even one killed with SIGKILL (see VectorRelaunch).
    VectorRelaunch.watchParent(() -> {
      System.err.println("the process that started this one is gone: stopping (a training run saves itself first)");
      System.exit(ORPHANED);
    });
    boolean relaunchable = VectorRelaunch.available();
    Optional<List<String>> relaunch = relaunchable
        ? VectorRelaunch.command(Main.class.getName(), args, program, VECTOR_COMMANDS) : Optional.empty();
    if (relaunch.isPresent()) {
      try {
        System.exit(VectorRelaunch.run(relaunch.get()));
      } catch (IOException e) {
        System.err.println("note: could not relaunch Java with the Vector API (" + e.getMessage()
            + "); continuing with the scalar kernels");
      }
    }
    if (relaunchable) {
      // Scalar on purpose, for a command too short to pay for the relaunch: said so, core prints no hint.
      System.setProperty(KERNELS_PROPERTY, "scalar");
    }
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        new Context(Screen.system(), program, relaunchable)));
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
   * Runs the command line without exiting, for tests and embedding. The writers are taken for no
   * terminal: progress is printed as plain lines, and the help is 80 columns wide.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit status
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, new Context(Screen.none(), DEFAULT_PROGRAM, false));
  }

  /**
   * How the command line was started.
   *
   * @param screen what standard output and error are connected to
   * @param program the program's name in the help and in hints, such as {@code java -jar rnn.jar}
   * @param relaunchable whether {@link #VECTOR_COMMANDS} start Java again with the Vector API
   */
  record Context(Screen screen, String program, boolean relaunchable) {}

  /**
   * Runs the command line without exiting.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @param context how it was started
   * @return the exit status
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, Context context) {
    Screen screen = context.screen();
    CommandLine cli = new CommandLine(new Main(screen));
    cli.setCommandName(context.program());
    cli.setOut(out);
    cli.setErr(err);
    cli.setUsageHelpLongOptionsMaxWidth(32);
    Version version = new Version(context.relaunchable());
    cli.getCommandSpec().versionProvider(version);
    for (CommandLine command : cli.getSubcommands().values()) {
      // Every command shows the version, not only the top level.
      command.getCommandSpec().versionProvider(version);
    }
    addSection(cli, UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::commandList);
    addSection(cli, UsageMessageSpec.SECTION_KEY_FOOTER, Main::footer);
    for (CommandLine command : cli.getSubcommands().values()) {
      addSection(command, UsageMessageSpec.SECTION_KEY_FOOTER, Main::footer);
    }
    // The terminal's width is asked for only when help is printed.
    cli.setHelpFactory((command, colors) -> {
      command.usageMessage().width(Math.max(MIN_HELP_WIDTH,
          Math.min(MAX_HELP_WIDTH, screen.columns())));
      return new Help(command, colors);
    });
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("error: " + usageError(e) + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName(" ")
          + " --help')");
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

  /** {@return what the commands know of the streams they write to} */
  Screen screen() {
    return screen;
  }

  /** {@return the program's name as it was started, for hints such as "continue it: NAME train --resume DIR"} */
  String program() {
    return spec.name();
  }

  /** Sets one help section of one command (CommandLine.setHelpSectionMap would set the map of every subcommand). */
  private static void addSection(CommandLine command, String key, CommandLine.IHelpSectionRenderer renderer) {
    UsageMessageSpec usage = command.getCommandSpec().usageMessage();
    Map<String, CommandLine.IHelpSectionRenderer> sections = new LinkedHashMap<>(usage.sectionMap());
    sections.put(key, renderer);
    usage.sectionMap(sections);
  }

  /**
   * The footer: lines indented by a space (examples, which must stay one line to be copied) as they
   * are, the others wrapped at the help's width between words.
   */
  static String footer(Help help) {
    int width = help.commandSpec().usageMessage().width();
    StringBuilder out = new StringBuilder();
    for (String line : help.commandSpec().usageMessage().footer()) {
      if (line.startsWith(" ")) {
        out.append(line).append(System.lineSeparator());
        continue;
      }
      StringBuilder row = new StringBuilder();
      for (String word : line.split(" ")) {
        if (row.length() > 0 && row.length() + 1 + word.length() > width) {
          out.append(row).append(System.lineSeparator());
          row.setLength(0);
        }
        row.append(row.length() > 0 ? " " : "").append(word);
      }
      out.append(row).append(System.lineSeparator());
    }
    return out.toString();
  }

  /**
   * The message of a usage error, in plain words: an unknown command is called so, with the list
   * of commands; an unknown option or command gets picocli's nearest names as "did you mean"; a
   * malformed number says what kind of number is wanted.
   */
  static String usageError(ParameterException e) {
    CommandLine cmd = e.getCommandLine();
    String guess = "";
    if (e instanceof UnmatchedArgumentException u) {
      String typed = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
      // picocli's candidates nearest by edit distance (those tied, in picocli's order)
      int nearest = u.getSuggestions().stream().mapToInt(n -> editDistance(n, typed)).min().orElse(0);
      List<String> near = u.getSuggestions().stream().filter(n -> editDistance(n, typed) == nearest).limit(2)
          .toList();
      guess = near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
      if (cmd.getParent() == null && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()
          && !u.getUnmatched().get(0).startsWith("-")) {
        return "unknown command '" + u.getUnmatched().get(0) + "'" + (guess.isEmpty() ? "; the" : guess + " The")
            + " commands are " + String.join(", ", cmd.getSubcommands().keySet());
      }
    }
    // picocli's messages for argument groups start with their own "Error: "
    String message = e.getMessage();
    message = message.startsWith("Error: ") ? message.substring("Error: ".length()) : message;
    Matcher type = MALFORMED.matcher(message);
    if (type.find()) {
      message = message.substring(0, type.start()) + " is not a" + (type.group(1).equals("int")
          || type.group(1).equals("long") ? " whole number" : " number") + message.substring(type.end());
    }
    return message + guess;
  }

  /** The Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** picocli's words for a value that is not a number of the option's Java type. */
  private static final Pattern MALFORMED = Pattern.compile(" is not an? (int|long|float|double)\\b");

  /**
   * The list of commands in the top-level help: each command's first sentence, whole (picocli's
   * own list shows a description's first line, which may stop in the middle of a sentence).
   */
  private static String commandList(Help help) {
    Map<String, Help> commands = help.subcommands();
    if (commands.isEmpty()) {
      return "";
    }
    int names = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 4;
    int width = help.commandSpec().usageMessage().width();
    TextTable table = TextTable.forColumns(help.colorScheme(), new Column(names, 2, Column.Overflow.SPAN),
        new Column(width - names, 0, Column.Overflow.WRAP));
    commands.forEach((name, command) -> table.addRowValues(help.colorScheme().commandText(name),
        help.colorScheme().text(firstSentence(command.commandSpec().usageMessage().description()))));
    return table.toString();
  }

  /** The description's first sentence: up to the first full stop followed by a space or its end. */
  static String firstSentence(String[] description) {
    String text = String.join(" ", description).replace("%n", " ").replaceAll("\\s+", " ").strip();
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  /**
   * Returns how the program was started, to name it in the help and hints: {@code java -jar} and
   * the jar's path as typed, else the path of the jar this class came from (relative to the
   * working directory when inside it), else {@value #DEFAULT_PROGRAM}.
   */
  static String invokedAs() {
    String given = System.getProperty(PROGRAM_PROPERTY);
    if (given != null && !given.isBlank()) {
      return given;
    }
    String command = System.getProperty("sun.java.command", "");
    String first = command.isEmpty() ? "" : command.split(" ", 2)[0];
    if (first.endsWith(".jar") && Files.isRegularFile(Path.of(first))) {
      return "java -jar " + first;
    }
    try {
      CodeSource source = Main.class.getProtectionDomain().getCodeSource();
      Path jar = source == null ? null : Path.of(source.getLocation().toURI());
      if (jar != null && jar.toString().endsWith(".jar") && Files.isRegularFile(jar)) {
        Path here = Path.of("").toAbsolutePath();
        return "java -jar " + (jar.startsWith(here) ? here.relativize(jar) : jar);
      }
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      // Not a file: the default name below.
    }
    return DEFAULT_PROGRAM;
  }

  /** {@code version}: what {@code --version} prints, as a command. */
  @Command(name = "version", description = {"Show the version, the kernel backend and the Java runtime, as --version "
      + "does.", ""})
  static final class VersionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().printVersionHelp(spec.commandLine().getOut());
      return 0;
    }
  }

  /** Prints the version, the kernel backend and the Java runtime. */
  static final class Version implements CommandLine.IVersionProvider {
    private final boolean relaunchable;

    /** @param relaunchable whether {@link #VECTOR_COMMANDS} start Java again with the Vector API */
    Version(boolean relaunchable) {
      this.relaunchable = relaunchable;
    }

    @Override
    public String[] getVersion() {
      String kernels = "kernels: " + Backend.current();
      if (relaunchable) {
        kernels += "; " + String.join(", ", VECTOR_COMMANDS.stream().sorted().toList())
            + " start Java again with the Vector API for the SIMD kernels";
      }
      return new String[] {"tapegrad " + version(), kernels,
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
