package dev.tapegrad.rnn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code train} prints on standard output, shaped for where it goes, with a copy kept in the
 * run's log ({@code train.log}).
 *
 * <p>On a terminal every line fits its width: a line of fields ({@link FittedLine}) leaves out its
 * least important parts and breaks between the rest, and a plain line breaks between words, its
 * further lines indented by two spaces, so that no figure is cut. Into a file or a pipe, and into
 * the log, lines go whole. The log is appended to, one session after another; a line is written to
 * it whole and flushed with the console, so a killed run leaves its log up to its last line.
 */
final class RunConsole implements AutoCloseable {

  private final PrintWriter out;
  private final Screen screen;
  private final Writer log;

  private RunConsole(PrintWriter out, Screen screen, Writer log) {
    this.out = out;
    this.screen = screen;
    this.log = log;
  }

  /**
   * Opens the console, appending its copy to {@code logFile}.
   *
   * @param out standard output
   * @param screen what it is connected to
   * @param logFile the log, created if missing
   * @return the console; close it to close the log
   * @throws UncheckedIOException if the log cannot be opened
   */
  static RunConsole open(PrintWriter out, Screen screen, Path logFile) {
    try {
      return new RunConsole(out, screen, Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + logFile + ": " + e.getMessage(), e);
    }
  }

  /** Prints a line of fields: fitted and wrapped on a terminal, whole elsewhere and in the log. */
  void line(FittedLine line) {
    if (!screen.outIsTerminal()) {
      print(line.full(), line.full());
      return;
    }
    // A field longer than the whole width (a long path) breaks between its words too.
    List<String> rows = new ArrayList<>();
    for (String row : line.wrap(width()).split("\n")) {
      rows.add(wrap(row, width()));
    }
    print(line.full(), String.join("\n", rows));
  }

  /** Prints a line: broken between words on a terminal, whole elsewhere and in the log. */
  void line(String text) {
    print(text, screen.outIsTerminal() ? wrap(text, width()) : text);
  }

  /** Prints a line of text as it is (a sample the model wrote), on a terminal too: its spaces are its own. */
  void verbatim(String text) {
    print(text, text);
  }

  /** Flushes standard output and the log. */
  void flush() {
    out.flush();
    try {
      log.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's log: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's log: " + e.getMessage(), e);
    }
  }

  private void print(String whole, String shown) {
    out.println(shown);
    try {
      log.write(whole);
      log.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's log: " + e.getMessage(), e);
    }
  }

  /** The widest a line may be: one column short of the terminal's, so no terminal wraps it. */
  private int width() {
    return screen.columns() - 1;
  }

  /**
   * Breaks {@code text} between words into lines of at most {@code width} characters, further lines
   * indented by two more spaces than the first; a word longer than a line (a long path) goes on over
   * the next lines, so nothing is lost.
   */
  static String wrap(String text, int width) {
    if (text.length() <= width) {
      return text;
    }
    String lead = text.substring(0, text.length() - text.stripLeading().length());
    String indent = lead + "  ";
    List<String> lines = new ArrayList<>();
    StringBuilder row = new StringBuilder(lead);
    boolean empty = true;
    for (String word : text.strip().split(" +")) {
      if (!empty && row.length() + 1 + word.length() > width) {
        lines.add(row.toString());
        row = new StringBuilder(indent);
        empty = true;
      }
      if (!empty) {
        row.append(' ');
      }
      while (row.length() + word.length() > width && width - row.length() > 0) {
        int room = width - row.length();
        lines.add(row.append(word, 0, room).toString());
        row = new StringBuilder(indent);
        word = word.substring(room);
      }
      row.append(word);
      empty = false;
    }
    lines.add(row.toString());
    return String.join("\n", lines);
  }
}
