package dev.tapegrad.rnn.cli;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.jline.terminal.impl.exec.ExecTerminalProvider;
import org.jline.terminal.spi.SystemStream;

/**
 * What the command line writes to: whether standard output and standard error are terminals, and
 * how many columns the terminal has. The progress line is redrawn in place only on a terminal, and
 * every line that is redrawn, and the help, is fitted to its width.
 *
 * <p>{@link #system()} asks JLine's exec provider, which runs {@code test -t FD} (with this
 * process's streams) and {@code stty -a} (which reads the size of the terminal on standard input).
 * It loads no native code, so it prints nothing on any Java, and each answer is asked for only when
 * it is first needed: a command that draws nothing starts no process. The width is asked again
 * after the terminal is resized (SIGWINCH). When it cannot be read (standard input is not a
 * terminal), the environment variable {@code COLUMNS} gives it, else {@value #DEFAULT_COLUMNS}.
 *
 * <p>Note: the POSIX tools make this Unix-only; on Windows no stream is taken for a terminal, and
 * progress shows as plain lines.
 */
final class Screen {

  /** The width assumed when the terminal's cannot be read, as a terminal's default. */
  static final int DEFAULT_COLUMNS = 80;
  /**
   * Set by a relaunching parent on its child, whose standard error is a pipe through the parent:
   * whether the parent's standard error, where the child's ends up, is a terminal.
   */
  static final String STDERR_TERMINAL_PROPERTY = "tapegrad.stderr.terminal";

  private final BooleanSupplier out;
  private final BooleanSupplier err;
  private final IntSupplier columns;

  private Screen(BooleanSupplier out, BooleanSupplier err, IntSupplier columns) {
    this.out = out;
    this.err = err;
    this.columns = columns;
  }

  /** {@return this process's streams, as the terminal reports them, each asked once when first needed} */
  static Screen system() {
    Detector detector = new Detector();
    return new Screen(detector::outIsTerminal, detector::errIsTerminal, detector::columns);
  }

  /** {@return streams that are no terminal, {@value #DEFAULT_COLUMNS} columns wide: writers not the process's own} */
  static Screen none() {
    return new Screen(() -> false, () -> false, () -> DEFAULT_COLUMNS);
  }

  /**
   * Returns a terminal of a given width on both streams, for tests.
   *
   * @param columns its width
   * @return the screen
   */
  static Screen terminal(int columns) {
    return new Screen(() -> true, () -> true, () -> columns);
  }

  /** {@return whether standard output is a terminal} */
  boolean outIsTerminal() {
    return out.getAsBoolean();
  }

  /** {@return whether standard error is a terminal} */
  boolean errIsTerminal() {
    return err.getAsBoolean();
  }

  /** {@return the terminal's width in columns, as of now} */
  int columns() {
    return columns.getAsInt();
  }

  /** The answers of JLine's exec provider, each asked once; the width again after a resize. */
  private static final class Detector {
    private final ExecTerminalProvider provider = new ExecTerminalProvider();
    private Boolean out;
    private Boolean err;
    private volatile int columns = -1;
    private boolean watching;

    synchronized boolean outIsTerminal() {
      if (out == null) {
        out = provider.isPosixSystemStream(SystemStream.Output);
      }
      return out;
    }

    synchronized boolean errIsTerminal() {
      if (err == null) {
        String relaunched = System.getProperty(STDERR_TERMINAL_PROPERTY);
        err = relaunched != null ? Boolean.parseBoolean(relaunched) : provider.isPosixSystemStream(SystemStream.Error);
      }
      return err;
    }

    int columns() {
      int known = columns;
      if (known > 0) {
        return known;
      }
      synchronized (this) {
        if (!watching) {
          // Forget the width when the terminal is resized; the next call reads it again.
          provider.registerSignal("WINCH", () -> columns = -1);
          watching = true;
        }
        int read = provider.systemStreamWidth(SystemStream.Output);
        columns = read > 0 ? read : fromEnvironment();
        return columns;
      }
    }

    private static int fromEnvironment() {
      try {
        int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
        return c > 0 ? c : DEFAULT_COLUMNS;
      } catch (NumberFormatException e) {
        return DEFAULT_COLUMNS;
      }
    }
  }
}
