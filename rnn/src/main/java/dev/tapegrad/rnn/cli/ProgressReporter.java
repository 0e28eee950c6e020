package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.train.StepReport;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training progress on standard error. On a terminal it is one line redrawn in place at most
 * every {@value #REDRAW_SECONDS} s, fitted to the terminal's width: the learning rate, the loss in
 * bits, the epoch, the step and the bar go first, in that order, as the width shrinks; the
 * percentage, the loss, the ETA and the speed stay longest. Redrawing takes a carriage return and
 * spaces over what is left of a longer line, no escape codes, so it works on any terminal. When
 * standard error is a file or a pipe ({@code 2> train.log}, {@code |& tee}), it is one whole plain
 * line every {@value #PLAIN_INTERVAL_SECONDS} s instead.
 *
 * <p>Whether to redraw is decided by standard error, where progress goes. When standard output is
 * a terminal too (the same one, in practice), the live line is drawn through standard output, so
 * that it stays in order with the epoch lines printed there: a relaunched {@code train} passes its
 * standard error through its parent ({@link VectorRelaunch}), which may deliver it a moment late.
 */
final class ProgressReporter {

  static final double REDRAW_SECONDS = 0.25;
  static final double PLAIN_INTERVAL_SECONDS = 10;
  /** The bar's narrowest and widest inside, in characters. */
  static final int MIN_BAR = 10;
  static final int MAX_BAR = 30;
  /** Columns kept free beside the bar for figures that grow a digit or two during the run. */
  static final int SLACK = 4;

  // Ranks: the higher, the sooner a part is left out (see FittedLine).
  private static final int LR = 8;
  private static final int BPC = 7;
  private static final int EPOCH = 6;
  private static final int STEP = 5;
  private static final int BAR = 4;
  private static final int SPEED = 3;
  private static final int ETA = 2;
  private static final int LOSS = 1;

  private final PrintWriter err;
  /** Where the live line goes: standard output when both streams are terminals, else standard error. */
  private final PrintWriter live;
  private final Screen screen;
  private final boolean terminal;
  private double lastShown = Double.NEGATIVE_INFINITY;
  /** The length of the line on the screen, 0 when there is none. */
  private int drawn;
  /** The bar's inside width, chosen at the first redraw for the terminal's width then, so it does not jump. */
  private int bar;
  /** The terminal width the bar was chosen for. */
  private int barFor;

  /**
   * Creates the reporter.
   *
   * @param out standard output
   * @param err standard error
   * @param screen says whether the streams are terminals, and how wide
   */
  ProgressReporter(PrintWriter out, PrintWriter err, Screen screen) {
    this.err = err;
    this.screen = screen;
    this.terminal = screen.errIsTerminal();
    this.live = terminal && screen.outIsTerminal() ? out : err;
  }

  /**
   * Shows a step's progress, unless the last was shown less than the interval ago.
   *
   * @param r the step's report
   * @param smoothedLoss the loss to show, smoothed over recent steps
   */
  void update(StepReport r, double smoothedLoss) {
    double interval = terminal ? REDRAW_SECONDS : PLAIN_INTERVAL_SECONDS;
    if (r.elapsedSeconds() - lastShown < interval) {
      return;
    }
    lastShown = r.elapsedSeconds();
    if (terminal) {
      // The last column stays free: writing into it makes some terminals wrap at once.
      int width = screen.columns() - 1;
      if (bar == 0 || barFor != width) {
        // The room left beside the other parts, less what growing figures (speed, ETA) may take later.
        String text = line(r, smoothedLoss, MIN_BAR).fit(width);
        bar = text.startsWith("[") ? Math.max(MIN_BAR, Math.min(MAX_BAR, MIN_BAR + width - text.length() - SLACK))
            : MIN_BAR;
        barFor = width;
      }
      String text = line(r, smoothedLoss, bar).fit(width);
      live.print("\r" + text + " ".repeat(Math.max(0, Math.min(drawn, width) - text.length())));
      drawn = Math.max(text.length(), Math.min(drawn, width));
      live.flush();
    } else {
      err.println(line(r, smoothedLoss, 0).full());
      err.flush();
    }
  }

  /** Removes the live line so that a normal line can be printed. */
  void clear() {
    if (drawn > 0) {
      // No wider than the terminal now, or the spaces themselves would wrap after a resize.
      live.print("\r" + " ".repeat(Math.min(drawn, screen.columns() - 1)) + "\r");
      live.flush();
      drawn = 0;
    }
  }

  /** The progress line, with a bar {@code bar} characters wide inside, or none for 0. */
  private static FittedLine line(StepReport r, double loss, int bar) {
    FittedLine line = new FittedLine();
    if (bar > 0) {
      int filled = (int) Math.round(r.fractionDone() * bar);
      line.word("[" + "#".repeat(filled) + ".".repeat(bar - filled) + "]", BAR);
    }
    String eta = r.fractionDone() > 0
        ? TrainCommand.duration(r.elapsedSeconds() * (1 - r.fractionDone()) / r.fractionDone()) : "?";
    return line.word(String.format(Locale.ROOT, "%3.0f%%", 100 * r.fractionDone()), 0)
        .word(String.format(Locale.ROOT, "step %,d", r.step()), STEP)
        .field("epoch " + r.epoch(), EPOCH)
        .field(String.format(Locale.ROOT, "loss %.3f", loss), LOSS)
        .detail(String.format(Locale.ROOT, " (%.2f bpc)", loss / Math.log(2)), BPC)
        .field(String.format(Locale.ROOT, "lr %.2g", r.learningRate()), LR)
        .field(String.format(Locale.ROOT, "%,.0f chars/s", r.charsPerSecond()), SPEED)
        .field("ETA " + eta, ETA);
  }
}
