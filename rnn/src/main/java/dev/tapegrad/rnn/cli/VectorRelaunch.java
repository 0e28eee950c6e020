package dev.tapegrad.rnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes {@code java -jar rnn.jar} use the Vector API kernels with no extra flag, for the commands
 * whose work is long enough to pay for it.
 *
 * <p>The SIMD kernels need the incubator module {@code jdk.incubator.vector}, which a JVM only
 * resolves when started with {@code --add-modules jdk.incubator.vector}; a jar manifest cannot add
 * a module, and a running JVM cannot add one to its boot layer. So for a command that computes for
 * long ({@link Main#VECTOR_COMMANDS}), when the module is absent, {@link Main} starts the same Java
 * once more with the flag, the same JVM options, class path and arguments, and exits with the
 * child's status, also when it is stopped by a signal (see {@link #run}). That second start costs
 * about half a second, which a short command (help, the version, an error, a sample of a few
 * hundred characters) never wins back, so those run where they are, on the scalar kernels; so does
 * an {@code eval} of a small text, judged by its size before it starts ({@link #tooShort}).
 *
 * <p>The child inherits standard input and output. Its standard error comes through this process,
 * which drops the line Java prints first in any JVM with an incubator module
 * ({@value #INCUBATOR_WARNING}…): a command prints only its own lines, and an error stays one
 * line. The child is told whether this process's standard error is a terminal
 * ({@link Screen#STDERR_TERMINAL_PROPERTY}), since its own is a pipe, and how the program was
 * started ({@link Main#PROGRAM_PROPERTY}), for its help and hints. Passed on by a thread, standard
 * error may reach the terminal a moment after what the child wrote to standard output meanwhile,
 * which is why {@link ProgressReporter} draws its live line on standard output when both are the
 * terminal.
 *
 * <p>The child dies with its parent. A parent killed with SIGKILL cannot pass anything on, and the
 * child, reparented to PID 1, would otherwise train on until its bound, holding the run's lock. So
 * the parent names itself ({@value #PARENT_PROPERTY}) and the child {@linkplain #watchParent watches
 * it}: a daemon thread asks every {@value #WATCH_MILLIS} ms whether that process (its pid and its
 * start time, so a reused pid does not count) is still alive, and when it is gone ends the child as
 * a shutdown does: a training run stops after its step and saves itself. Measured from the parent's
 * SIGKILL to the child's end (its step, its save and Java's exit included) on a shared 2-core
 * machine: 1.2 to 2.1 s over seven runs of {@code TrainProcessTest}'s tiny model; 3.5 s by hand for
 * a hidden-64 model at batch 32. Polling was chosen over a pipe the parent holds open (whose end of file
 * would tell at once), because the child keeps the parent's standard input for itself: a text can
 * be piped into {@code train --data -}.
 *
 * <p>It is skipped for help and version requests, when the module is already present, when the
 * child is itself a relaunch (guarded by the {@value #MARKER} system property, so it can never
 * loop), when the scalar kernels are forced ({@code -Dtapegrad.kernels=scalar}), and when the user
 * opts out with the environment variable {@value #OPT_OUT_ENV}{@code =1} or
 * {@code -D}{@value #OPT_OUT_PROPERTY}{@code =false}.
 */
final class VectorRelaunch {

  /** System property set on the relaunched JVM. */
  static final String MARKER = "tapegrad.relaunched";
  /** Environment variable that disables the relaunch when set to 1 or true. */
  static final String OPT_OUT_ENV = "TAPEGRAD_NO_RELAUNCH";
  /** System property that disables the relaunch when set to false. */
  static final String OPT_OUT_PROPERTY = "tapegrad.relaunch";
  /** System property set on the relaunched JVM: the process id of the parent that started it. */
  static final String PARENT_PROPERTY = "tapegrad.parent";
  /** How often a relaunched child asks whether its parent is still alive. */
  static final long WATCH_MILLIS = 200;
  /** The start of the line a JVM prints on standard error when it resolves an incubator module. */
  static final String INCUBATOR_WARNING = "WARNING: Using incubator modules:";

  private static final String MODULE = "jdk.incubator.vector";
  private static final Set<String> HELP_OR_VERSION = Set.of("-h", "--help", "-V", "--version");
  /** The smallest text {@code eval} relaunches for, in bytes (see {@link #tooShort}). */
  static final long EVAL_MIN_BYTES = 4_000;
  /** How long a stopping parent waits for the child's last lines on standard error. */
  private static final long DRAIN_MILLIS = 2000;

  private VectorRelaunch() {}

  /** {@return whether a relaunch would add the Vector API: it is missing here, but this Java has it, and no opt-out} */
  static boolean available() {
    return ModuleLayer.boot().findModule(MODULE).isEmpty() && System.getProperty(MARKER) == null
        && !"scalar".equalsIgnoreCase(System.getProperty(Main.KERNELS_PROPERTY))
        && !"false".equalsIgnoreCase(System.getProperty(OPT_OUT_PROPERTY))
        && !isTrue(System.getenv(OPT_OUT_ENV))
        && ModuleFinder.ofSystem().find(MODULE).isPresent();
  }

  /**
   * Returns the command that relaunches this JVM with the Vector API module, or empty if no
   * relaunch is wanted or possible.
   *
   * @param mainClass the class to run in the child
   * @param args the program arguments
   * @param program the program's name as started, passed on to the child
   * @param commands the commands worth a relaunch
   * @return the child's command line
   */
  static Optional<List<String>> command(String mainClass, String[] args, String program, Set<String> commands) {
    // The command is the first argument that is not an option: the top level's only options are -h and -V.
    String command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    if (!commands.contains(command) || Arrays.stream(args).anyMatch(HELP_OR_VERSION::contains) || !available()
        || tooShort(command, args)) {
      return Optional.empty();
    }
    Optional<String> java = ProcessHandle.current().info().command();
    String classPath = System.getProperty("java.class.path");
    if (java.isEmpty() || classPath == null || classPath.isEmpty()) {
      return Optional.empty();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(java.get());
    cmd.add("--add-modules=" + MODULE);
    cmd.add("-D" + MARKER + "=true");
    cmd.add("-D" + PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
    cmd.add("-D" + Screen.STDERR_TERMINAL_PROPERTY + "=" + Screen.system().errIsTerminal());
    cmd.add("-D" + Main.PROGRAM_PROPERTY + "=" + program);
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return Optional.of(cmd);
  }

  /**
   * Whether the command's work is too small to pay for the relaunch, judged by its size before it
   * starts: an {@code eval} of fewer than {@value #EVAL_MIN_BYTES} bytes of text (its {@code --data}
   * file, times {@code --held-out} when given). Measured with the notebook's model (GRU 512) on a
   * shared 2-core machine (load 6 to 12), CPU seconds of the whole process (JDK 17, farm-bench,
   * medians of 5; wall time under that load said little): 2.6 kB took 3.5 relaunched and 2.5
   * scalar, 10 kB 3.9 and 8.1, 30 kB 6.0 and 22.8; the two lines cross near 4 kB. A file that
   * cannot be read runs here, where its error is reported at once.
   *
   * @param command the command
   * @param args the program arguments
   * @return true to run on the scalar kernels without a relaunch
   */
  static boolean tooShort(String command, String[] args) {
    if (!command.equals("eval")) {
      return false;
    }
    String data = optionValue(args, "--data");
    if (data == null) {
      return true;
    }
    double share = 1;
    String heldOut = optionValue(args, "--held-out");
    if (heldOut != null) {
      try {
        share = Double.parseDouble(heldOut);
      } catch (NumberFormatException e) {
        return true;
      }
    }
    try {
      return Files.size(Path.of(data)) * share < EVAL_MIN_BYTES;
    } catch (IOException | InvalidPathException | SecurityException e) {
      return true;
    }
  }

  /** {@return the value of {@code name} given as {@code name=value} or {@code name value}, or null} */
  private static String optionValue(String[] args, String name) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith(name + "=")) {
        return args[i].substring(name.length() + 1);
      }
      if (args[i].equals(name) && i + 1 < args.length) {
        return args[i + 1];
      }
    }
    return null;
  }

  /**
   * Runs the child with this process's standard input and output, passes its standard error on
   * without Java's incubator warning, and returns its exit status, which the caller should exit
   * with. Stop signals reach the child, which saves its work and chooses the status:
   *
   * <ul>
   *   <li>Ctrl-C reaches the child directly (same process group), so this process ignores SIGINT
   *       while waiting, as {@code system(3)} does.
   *   <li>SIGTERM (or any other shutdown of this JVM) is passed on with {@link Process#destroy()};
   *       this process then waits for the child and ends with the child's status, not its own.
   * </ul>
   *
   * @param command the child's command line
   * @return the child's exit status
   * @throws IOException if the child cannot be started
   */
  static int run(List<String> command) throws IOException {
    Process child = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    Thread errors = new Thread(() -> passOn(child.getErrorStream(), System.err), "tapegrad-relaunch-stderr");
    errors.setDaemon(true);
    errors.start();
    Thread forward = new Thread(() -> {
      child.destroy();
      while (true) {
        try {
          int status = child.waitFor();
          errors.join(DRAIN_MILLIS);
          Main.quitNow(status);
        } catch (InterruptedException e) {
          // Keep waiting: the child is saving its work.
        }
      }
    }, "tapegrad-relaunch-stop");
    Runtime.getRuntime().addShutdownHook(forward);
    // Only now: an ignored SIGINT would be inherited by the child, which then could not catch it.
    try (StopSignals.Restore interrupts = StopSignals.ignoreInterrupts()) {
      int status = child.waitFor();
      errors.join(DRAIN_MILLIS);
      return status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroy();
      return Main.FAILURE;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(forward);
      } catch (IllegalStateException shuttingDown) {
        // Already shutting down: the hook is running, and ends this process with the child's status.
      }
    }
  }

  /**
   * In a relaunched child, starts a daemon thread that runs {@code onGone} once the parent that
   * started it ({@value #PARENT_PROPERTY}) has ended, and returns; does nothing in any other JVM.
   * The parent is the process of that id which was this process's parent when Java started it, so
   * a parent that died before the child got here counts as gone, and a later process that reuses
   * its id is not taken for it ({@link ProcessHandle#isAlive} compares start times).
   *
   * @param onGone ends this process; called at most once, from the watching thread
   */
  static void watchParent(Runnable onGone) {
    String pid = System.getProperty(PARENT_PROPERTY);
    if (System.getProperty(MARKER) == null || pid == null) {
      return;
    }
    long expected;
    try {
      expected = Long.parseLong(pid.trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.current().parent().filter(p -> p.pid() == expected);
    Thread watch = new Thread(() -> {
      try {
        while (parent.isPresent() && parent.get().isAlive()) {
          Thread.sleep(WATCH_MILLIS);
        }
      } catch (InterruptedException e) {
        return;
      }
      onGone.run();
    }, "tapegrad-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  /**
   * Copies {@code in} to {@code out} as it comes, byte for byte (a progress line is redrawn with
   * carriage returns, not line ends), except for a first line that is Java's incubator warning.
   */
  static void passOn(InputStream in, OutputStream out) {
    byte[] warning = INCUBATOR_WARNING.getBytes(StandardCharsets.US_ASCII);
    byte[] buffer = new byte[8192];
    byte[] first = new byte[0];
    boolean checked = false;
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (!checked) {
          // Gather the start of the output until it is clear whether it is the warning's line.
          first = Arrays.copyOf(first, first.length + n);
          System.arraycopy(buffer, 0, first, first.length - n, n);
          int end = indexOf(first, (byte) '\n');
          int compared = Math.min(first.length, warning.length);
          boolean mayBeWarning = Arrays.equals(first, 0, compared, warning, 0, compared);
          if (mayBeWarning && end < 0) {
            continue;
          }
          checked = true;
          if (mayBeWarning) {
            out.write(first, end + 1, first.length - end - 1);
          } else {
            out.write(first);
          }
          out.flush();
          continue;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      if (!checked) {
        out.write(first);
        out.flush();
      }
    } catch (IOException e) {
      // The child or our standard error is gone: nothing more to pass on.
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }
}
