package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The decisions {@link StopSignals} takes on each signal, driven directly; {@code TrainProcessTest}
 * sends real signals to real processes.
 */
class StopSignalsTest {

  private final AtomicInteger stops = new AtomicInteger();
  private final List<Integer> quits = new ArrayList<>();
  private final StringWriter err = new StringWriter();

  @Test
  void firstCtrlCAsksForAStopAndASecondQuitsAtOnceWith130() {
    try (StopSignals signals = install()) {
      assertNull(signals.received());
      signals.onSignal("INT", 2);
      assertEquals(1, stops.get());
      assertEquals(List.of(), quits);
      assertEquals("SIGINT", signals.received());
      assertEquals(130, signals.exitStatus());

      signals.onSignal("INT", 2);
      assertEquals(List.of(130), quits);
      assertEquals(1, stops.get());
    }
    assertEquals(List.of("", "stopping after this step to save the run (press Ctrl-C again to quit at once)",
        "quitting at once without saving; what was saved before stays complete"), err.toString().lines().toList());
  }

  @Test
  void sigtermStopsWith143AndRepeatedSigtermsWaitForTheSave() {
    try (StopSignals signals = install()) {
      signals.onSignal("TERM", 15);
      signals.onSignal("TERM", 15);
      signals.onSignal("TERM", 15);
      assertEquals(1, stops.get());
      assertEquals(List.of(), quits, "a supervisor's repeated SIGTERM never cuts the save short");
      assertEquals("SIGTERM", signals.received());
      assertEquals(143, signals.exitStatus());

      signals.onSignal("INT", 2);
      assertEquals(List.of(130), quits, "Ctrl-C after a SIGTERM is a second stop request: quit at once");
    }
  }

  @Test
  void withoutASignalTheStatusIsLeftToTheCaller() {
    try (StopSignals signals = install()) {
      assertNull(signals.received());
      assertEquals(0, stops.get());
    }
    assertEquals("", err.toString());
  }

  private StopSignals install() {
    return StopSignals.install(stops::incrementAndGet, new PrintWriter(err, true), quits::add);
  }
}
