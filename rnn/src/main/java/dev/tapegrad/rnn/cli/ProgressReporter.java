package dev.tapegrad.rnn.cli;

import dev.tapegrad.rnn.train.StepReport;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training progress on standard error: a live bar redrawn in place on a terminal, or a
 * plain line every {@value #PLAIN_INTERVAL_SECONDS} seconds when standard error is a file or pipe.
 */
final class ProgressReporter {

  private static final double REDRAW_SECONDS = 0.2;
  private static final double PLAIN_INTERVAL_SECONDS = 10;
  private static final int BAR_WIDTH = 24;

  private final PrintWriter err;
  private final boolean terminal;
  private double lastShown = Double.NEGATIVE_INFINITY;
  private boolean barVisible;

  ProgressReporter(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  void update(StepReport r, double smoothedLoss) {
    double interval = terminal ? REDRAW_SECONDS : PLAIN_INTERVAL_SECONDS;
    if (r.elapsedSeconds() - lastShown < interval) {
      return;
    }
    lastShown = r.elapsedSeconds();
    String eta = r.fractionDone() > 0
        ? TrainCommand.duration(r.elapsedSeconds() * (1 - r.fractionDone()) / r.fractionDone()) : "?";
    String text = String.format(Locale.ROOT, "step %,d | epoch %d | loss %.3f (%.2f bpc) | lr %.2g | %,.0f chars/s | ETA %s",
        r.step(), r.epoch(), smoothedLoss, smoothedLoss / Math.log(2), r.learningRate(), r.charsPerSecond(), eta);
    if (terminal) {
      int filled = (int) Math.round(r.fractionDone() * BAR_WIDTH);
      err.print("\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] "
          + String.format(Locale.ROOT, "%3.0f%% ", 100 * r.fractionDone()) + text + "\033[K");
      barVisible = true;
    } else {
      err.println(String.format(Locale.ROOT, "%3.0f%% ", 100 * r.fractionDone()) + text);
    }
    err.flush();
  }

  /** Removes the live bar so that a normal line can be printed. */
  void clear() {
    if (barVisible) {
      err.print("\r\033[K");
      err.flush();
      barVisible = false;
    }
  }
}
