package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.rnn.train.StepReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressReporterTest {

  @Test
  void plainOutputIsOneWholeLineEveryTenSeconds() {
    StringWriter text = new StringWriter();
    ProgressReporter progress = reporter(text, Screen.none());

    progress.update(report(1, 0.5, 0.2), 2.0);
    progress.update(report(2, 5.0, 0.4), 1.5);
    progress.update(report(3, 10.5, 0.6), 1.25);

    assertEquals(" 20% step 1 | epoch 1 | loss 2.000 (2.89 bpc) | lr 0.0010 | 1,234 chars/s | ETA 0m02s\n"
        + " 60% step 3 | epoch 1 | loss 1.250 (1.80 bpc) | lr 0.0010 | 1,234 chars/s | ETA 0m07s\n", text.toString());
  }

  @Test
  void aWideTerminalShowsEveryFieldAndABar() {
    StringWriter text = new StringWriter();
    ProgressReporter progress = reporter(text, Screen.terminal(140));

    progress.update(report(1, 1.0, 0.25), 2.0);
    progress.clear();

    String bar = "[" + "#".repeat(8) + ".".repeat(22) + "]";
    String line = bar + "  25% step 1 | epoch 1 | loss 2.000 (2.89 bpc) | lr 0.0010 | 1,234 chars/s | ETA 0m03s";
    assertEquals("\r" + line + "\r" + " ".repeat(line.length()) + "\r", text.toString());
  }

  @Test
  void anEightyColumnTerminalKeepsTheLossTheSpeedAndTheEta() {
    StringWriter text = new StringWriter();
    ProgressReporter progress = reporter(text, Screen.terminal(80));

    progress.update(new StepReport(123_456, 12, 1.5, 0, 1.0, 123_456, 0.5, 0.001), 1.2345);

    String line = text.toString().substring(1);
    assertTrue(line.length() <= 79, line.length() + ": " + line);
    for (String field : List.of("50%", "loss 1.235", "123,456 chars/s", "ETA 0m01s")) {
      assertTrue(line.contains(field), field + " in " + line);
    }
    assertFalse(line.contains("lr ") || line.contains("bpc"), line);
  }

  /** Each redraw starts at the line's start and never reaches the last column, however narrow the terminal. */
  @ParameterizedTest
  @ValueSource(ints = {20, 40, 60, 80, 100, 132, 200})
  void everyRedrawFitsTheTerminal(int columns) {
    StringWriter text = new StringWriter();
    ProgressReporter progress = reporter(text, Screen.terminal(columns));
    for (int step = 1; step <= 400; step++) {
      double fraction = step / 400.0;
      progress.update(new StepReport(step * 997L, 1 + step / 40, 4.0 - step / 200.0, step * 3200L, step * 0.3,
          step * 317.5, fraction, 0.004 * fraction), 4.0 - step / 200.0);
    }
    progress.clear();
    String out = text.toString();
    assertFalse(out.contains("\n"), "a terminal's progress never ends a line");
    for (String redraw : out.split("\r")) {
      assertTrue(redraw.length() <= columns - 1, columns + " columns: " + redraw.length() + " in '" + redraw + "'");
    }
    assertTrue(out.split("\r").length > 100, "redrawn at most every " + ProgressReporter.REDRAW_SECONDS + " s");
  }

  @Test
  void durationsShowMinutesAndSecondsOrHours() {
    assertEquals("0m00s", TrainCommand.duration(0.4));
    assertEquals("1m00s", TrainCommand.duration(59.6));
    assertEquals("59m59s", TrainCommand.duration(3599));
    assertEquals("1h01m01s", TrainCommand.duration(3661));
  }

  /** A reporter writing both streams into {@code text}. */
  private static ProgressReporter reporter(StringWriter text, Screen screen) {
    PrintWriter both = new PrintWriter(text);
    return new ProgressReporter(both, both, screen);
  }

  private static StepReport report(long step, double elapsed, double fraction) {
    return new StepReport(step, 1, 9.9, step * 100, elapsed, 1234.4, fraction, 0.001);
  }
}
