package dev.tapegrad.rnn.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM during training into a clean stop: the first one asks the
 * trainer to stop after its current step, so that it saves the run and the process exits with
 * 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as a shell expects. A second Ctrl-C
 * quits at once; every file is replaced atomically, so even then none is torn. Further SIGTERMs
 * are ignored, since a supervisor may repeat one while the save is under way.
 *
 * <p>A JVM shutdown hook does the same for every other way the JVM shuts down (SIGHUP when the
 * terminal closes, for example): it asks for the stop and waits until the run is saved.
 *
 * <p>Note: catching a signal without ending the JVM takes {@code sun.misc.Signal}, an unsupported
 * but long-stable API in the {@code jdk.unsupported} module (which the module
 * {@code dev.tapegrad.rnn} requires). Where it is missing or refuses (on the class path, a runtime
 * without that module; {@code -Xrs}), only the shutdown hook remains: the first signal
 * still saves the run and the JVM exits with the same status, but a second Ctrl-C waits for the
 * save.
 */
final class StopSignals implements AutoCloseable {

  /** The signals caught, by their {@code sun.misc.Signal} names. */
  private static final List<String> CAUGHT = List.of("INT", "TERM");

  /** Added to a signal's number to give the exit status of a process it ended. */
  static final int SIGNAL_STATUS_BASE = 128;

  private final Runnable stop;
  private final PrintWriter err;
  private final IntConsumer quit;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private final List<Restore> restores = new ArrayList<>();
  private String first;
  private int firstNumber;

  private StopSignals(Runnable stop, PrintWriter err, IntConsumer quit) {
    this.stop = stop;
    this.err = err;
    this.quit = quit;
    this.hook = new Thread(this::onShutdown, "tapegrad-train-stop");
  }

  /**
   * Starts catching the stop signals until {@link #close()}.
   *
   * @param stop asks the training to stop after its current step
   * @param err where the one-line notices go
   * @param quit ends the process at once with the given status (a second Ctrl-C)
   * @return the handle; close it once the run is saved
   */
  static StopSignals install(Runnable stop, PrintWriter err, IntConsumer quit) {
    StopSignals signals = new StopSignals(stop, err, quit);
    Runtime.getRuntime().addShutdownHook(signals.hook);
    for (String name : CAUGHT) {
      try {
        Signal signal = new Signal(name);
        SignalHandler previous = Signal.handle(signal, s -> signals.onSignal(s.getName(), s.getNumber()));
        signals.restores.add(() -> Signal.handle(signal, previous));
      } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException unavailable) {
        // No handler for this signal: the shutdown hook covers it.
      }
    }
    return signals;
  }

  /**
   * Ignores SIGINT until the returned handle is closed, as {@code system(3)} does while its child
   * runs: the child, in the same process group, receives Ctrl-C itself and saves its work, and the
   * parent waits for it. Does nothing where signals cannot be handled.
   *
   * @return restores the previous handling when closed
   */
  static Restore ignoreInterrupts() {
    try {
      Signal signal = new Signal("INT");
      SignalHandler previous = Signal.handle(signal, SignalHandler.SIG_IGN);
      return () -> Signal.handle(signal, previous);
    } catch (LinkageError | IllegalArgumentException | UnsupportedOperationException unavailable) {
      return () -> { };
    }
  }

  /**
   * Reacts to a caught signal.
   *
   * @param name the signal's name without {@code SIG}, for example {@code INT}
   * @param number its number, for the exit status
   */
  synchronized void onSignal(String name, int number) {
    if (first == null) {
      first = "SIG" + name;
      firstNumber = number;
      err.println();
      err.println("stopping after this step to save the run (press Ctrl-C again to quit at once)");
      err.flush();
      stop.run();
    } else if (name.equals("INT")) {
      err.println("quitting at once without saving; what was saved before stays complete");
      err.flush();
      quit.accept(SIGNAL_STATUS_BASE + number);
    }
  }

  /** The shutdown hook: asks for the stop, then waits until {@link #close()} says the run is saved. */
  private void onShutdown() {
    synchronized (this) {
      if (first == null) {
        first = "a shutdown of Java";
        err.println();
        err.println("Java is shutting down: stopping after this step to save the run");
        err.flush();
      }
    }
    stop.run();
    boolean interrupted = false;
    while (true) {
      try {
        finished.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns what stopped the run ({@code SIGINT}, {@code SIGTERM}, …), or null if nothing did. */
  synchronized String received() {
    return first;
  }

  /**
   * Returns the exit status for the signal that stopped the run (128 + its number), or
   * {@link Main#FAILURE} for a shutdown, whose status the JVM sets itself.
   */
  synchronized int exitStatus() {
    return firstNumber > 0 ? SIGNAL_STATUS_BASE + firstNumber : Main.FAILURE;
  }

  /** Restores the previous signal handling and releases a waiting shutdown hook. */
  @Override
  public void close() {
    for (Restore restore : restores) {
      restore.close();
    }
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running, and returns now that the run is saved.
    }
  }

  /** Puts back a signal's previous handling when closed. */
  @FunctionalInterface
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }
}
