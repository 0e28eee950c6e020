package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.rnn.train.StepReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  @Test
  void plainOutputIsOneLineEveryTenSeconds() {
    StringWriter text = new StringWriter();
    ProgressReporter progress = new ProgressReporter(new PrintWriter(text), false);

    progress.update(report(1, 0.5, 0.2), 2.0);
    progress.update(report(2, 5.0, 0.4), 1.5);
    progress.update(report(3, 10.5, 0.6), 1.25);

    assertEquals(" 20% step 1 | epoch 1 | loss 2.000 (2.89 bpc) | lr 0.0010 | 1,234 chars/s | ETA 0m02s\n"
        + " 60% step 3 | epoch 1 | loss 1.250 (1.80 bpc) | lr 0.0010 | 1,234 chars/s | ETA 0m07s\n", text.toString());
  }

  @Test
  void terminalOutputRedrawsOneBarAndClearsIt() {
    StringWriter text = new StringWriter();
    ProgressReporter progress = new ProgressReporter(new PrintWriter(text), true);

    progress.update(report(1, 1.0, 0.25), 2.0);
    progress.clear();
    progress.clear();

    assertEquals("\r[######..................]  25% step 1 | epoch 1 | loss 2.000 (2.89 bpc) | lr 0.0010 | 1,234 chars/s | ETA 0m03s\033[K"
        + "\r\033[K", text.toString());
  }

  @Test
  void durationsShowMinutesAndSecondsOrHours() {
    assertEquals("0m00s", TrainCommand.duration(0.4));
    assertEquals("1m00s", TrainCommand.duration(59.6));
    assertEquals("59m59s", TrainCommand.duration(3599));
    assertEquals("1h01m01s", TrainCommand.duration(3661));
    assertEquals("n/a", TrainCommand.val(Double.NaN));
    assertEquals("0.6931 nats (1.000 bpc)", TrainCommand.val(Math.log(2)));
  }

  private static StepReport report(long step, double elapsed, double fraction) {
    return new StepReport(step, 1, 9.9, step * 100, elapsed, 1234.4, fraction, 0.001);
  }
}
