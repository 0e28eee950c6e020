package dev.tapegrad.rnn.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes {@code java -jar rnn.jar} use the Vector API kernels with no extra flag.
 *
 * <p>The SIMD kernels need the incubator module {@code jdk.incubator.vector}, which a JVM only
 * resolves when started with {@code --add-modules jdk.incubator.vector}; a jar manifest cannot add
 * a module, and a running JVM cannot add one to its boot layer. So when the module is absent,
 * {@link Main} starts the same Java once more with the flag, the same JVM options, class path and
 * arguments, passes its standard streams through, and exits with the child's status, also when it
 * is stopped by a signal (see {@link #run}). This costs one extra JVM start (a fraction of a second).
 *
 * <p>It is skipped when the module is already present, when the child is itself a relaunch
 * (guarded by the {@value #MARKER} system property, so it can never loop), when the scalar kernels
 * are forced ({@code -Dtapegrad.kernels=scalar}), and when the user opts out with the environment
 * variable {@value #OPT_OUT_ENV}{@code =1} or {@code -D}{@value #OPT_OUT_PROPERTY}{@code =false}.
 */
final class VectorRelaunch {

  /** System property set on the relaunched JVM. */
  static final String MARKER = "tapegrad.relaunched";
  /** Environment variable that disables the relaunch when set to 1 or true. */
  static final String OPT_OUT_ENV = "TAPEGRAD_NO_RELAUNCH";
  /** System property that disables the relaunch when set to false. */
  static final String OPT_OUT_PROPERTY = "tapegrad.relaunch";

  private static final String MODULE = "jdk.incubator.vector";

  private VectorRelaunch() {}

  /**
   * Returns the command that relaunches this JVM with the Vector API module, or empty if no
   * relaunch is wanted or possible.
   *
   * @param mainClass the class to run in the child
   * @param args the program arguments
   * @return the child's command line
   */
  static Optional<List<String>> command(String mainClass, String[] args) {
    if (ModuleLayer.boot().findModule(MODULE).isPresent() || System.getProperty(MARKER) != null
        || "scalar".equalsIgnoreCase(System.getProperty("tapegrad.kernels"))
        || "false".equalsIgnoreCase(System.getProperty(OPT_OUT_PROPERTY))
        || isTrue(System.getenv(OPT_OUT_ENV))
        || !moduleAvailable()) {
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
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return Optional.of(cmd);
  }

  /**
   * Runs the child with this process's standard streams and returns its exit status, which the
   * caller should exit with. Stop signals reach the child, which saves its work and chooses the
   * status:
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
    Process child = new ProcessBuilder(command).inheritIO().start();
    Thread forward = new Thread(() -> {
      child.destroy();
      while (true) {
        try {
          Main.quitNow(child.waitFor());
        } catch (InterruptedException e) {
          // Keep waiting: the child is saving its work.
        }
      }
    }, "tapegrad-relaunch-stop");
    Runtime.getRuntime().addShutdownHook(forward);
    // Only now: an ignored SIGINT would be inherited by the child, which then could not catch it.
    try (StopSignals.Restore interrupts = StopSignals.ignoreInterrupts()) {
      return child.waitFor();
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

  /** Whether this JDK ships the module at all (a JRE image built without it does not). */
  private static boolean moduleAvailable() {
    return ModuleFinder.ofSystem().find(MODULE).isPresent();
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }
}
