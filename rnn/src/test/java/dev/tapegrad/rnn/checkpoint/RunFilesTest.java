package dev.tapegrad.rnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.rnn.train.EpochReport;
import dev.tapegrad.rnn.train.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

  @TempDir Path dir;

  @Test
  void metricsAreAppendedAsOneJsonObjectPerLine() {
    RunFiles.appendMetrics(dir, new EpochReport(1, 10, 2000, 1.5, 1.75, 0.002, 500, 4.0, "ab", false));
    RunFiles.appendMetrics(dir, new EpochReport(2, 12, 2400, 1.25, Double.NaN, Double.NaN, 480, 4.5, "ab", true));

    List<Map<String, Object>> records = RunFiles.readMetrics(dir);

    assertEquals(2, records.size());
    Map<String, Object> first = records.get(0);
    assertEquals(List.of("event", "epoch", "step", "chars", "train_loss", "train_bpc", "val_loss", "val_bpc", "lr",
        "chars_per_s", "elapsed_s"), new ArrayList<>(first.keySet()));
    assertEquals(0.002, ((Number) first.get("lr")).doubleValue());
    assertEquals("epoch", first.get("event"));
    assertEquals(10L, ((Number) first.get("step")).longValue());
    assertEquals(2000L, ((Number) first.get("chars")).longValue());
    assertEquals((float) (1.5 / Math.log(2)), ((Number) first.get("train_bpc")).floatValue(), "a float's digits");
    assertEquals(1.75, ((Number) first.get("val_loss")).doubleValue());
    Map<String, Object> end = records.get(1);
    assertEquals("end", end.get("event"));
    assertTrue(end.containsKey("val_loss"));
    assertNull(end.get("val_loss"), "JSON has no NaN: a missing validation loss is null");
    assertNull(end.get("val_bpc"));
    assertNull(end.get("lr"), "no step in the session: no learning rate");
  }

  @Test
  void curvePointsComeBeforeTheRecordWrittenWithThem() {
    RunFiles.appendValidation(dir, List.of(new RunFiles.LossPoint(2, 1, 3.0, 0.001), new RunFiles.LossPoint(4, 1,
        2.5, 0.002)), new ValidationReport(4, 800, 2.4, true, 2.4, 0, 1.0));
    RunFiles.appendLoss(dir, List.of());
    RunFiles.appendLoss(dir, List.of(new RunFiles.LossPoint(6, 2, 2.25, 0.003)));

    List<Map<String, Object>> records = RunFiles.readMetrics(dir);

    assertEquals(List.of("step", "step", "validation", "step"), records.stream().map(r -> r.get("event")).toList());
    Map<String, Object> point = records.get(0);
    assertEquals(List.of("event", "epoch", "step", "train_loss", "train_bpc", "lr"), new ArrayList<>(point.keySet()));
    assertEquals(3.0, ((Number) point.get("train_loss")).doubleValue());
    assertEquals(0.001, ((Number) point.get("lr")).doubleValue());
  }

  @Test
  void aResumeDropsTheRecordsAfterItsCheckpointOrCopiesTheRunsRecordsIntoANewDirectory() throws IOException {
    RunFiles.appendMetrics(dir, List.of(new RunFiles.LossPoint(5, 1, 3.0, 0.001)), new EpochReport(1, 10, 2000, 2.0,
        2.2, 0.001, 500, 4.0, "", false));
    RunFiles.appendValidation(dir, List.of(new RunFiles.LossPoint(15, 2, 2.0, 0.001)), new ValidationReport(15, 3000,
        2.1, true, 2.1, 0, 6.0));
    Path other = Files.createDirectories(dir.resolve("other"));

    assertEquals(2, RunFiles.resumeMetrics(dir, other, 10));
    assertEquals(List.of(5L, 10L), steps(RunFiles.readMetrics(other)));
    assertEquals(List.of(5L, 10L, 15L, 15L), steps(RunFiles.readMetrics(dir)), "the run resumed from is left as it is");

    assertEquals(0, RunFiles.resumeMetrics(dir, dir, 15));
    assertEquals(2, RunFiles.resumeMetrics(dir, dir, 12));
    assertEquals(List.of(5L, 10L), steps(RunFiles.readMetrics(dir)));
  }

  @Test
  void deleteRunRemovesEveryFileOfARunButNotOthersOrTheLock() throws IOException {
    for (String name : List.of(Checkpoint.MODEL_FILE, Checkpoint.BEST_MODEL_FILE, Checkpoint.STATE_FILE,
        RunFiles.METRICS, RunFiles.PLOT, RunLock.FILE, "notes.txt")) {
      Files.writeString(dir.resolve(name), "x");
    }
    assertEquals(List.of(Checkpoint.MODEL_FILE, Checkpoint.BEST_MODEL_FILE, Checkpoint.STATE_FILE, RunFiles.METRICS,
        RunFiles.PLOT), RunFiles.deleteRun(dir));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("notes.txt", RunLock.FILE), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private static List<Long> steps(List<Map<String, Object>> records) {
    return records.stream().map(r -> ((Number) r.get("step")).longValue()).toList();
  }

  @Test
  void absentMetricsFileHasNoRecords() {
    assertEquals(List.of(), RunFiles.readMetrics(dir));
  }

  @Test
  void corruptMetricsLineIsRefusedNamingTheFile() throws IOException {
    Files.writeString(dir.resolve(RunFiles.METRICS), "{\"step\": 1}\n{\"step\": \n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunFiles.readMetrics(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve(RunFiles.METRICS) + " is not valid JSON lines: "), e.getMessage());
  }

  @Test
  void plotDrawsTheCurveFromTheMetricsWithEveryEpochPointAndTheLearningRate() throws IOException {
    RunFiles.appendMetrics(dir, List.of(new RunFiles.LossPoint(1, 1, 3.0, 0.001), new RunFiles.LossPoint(10, 1, 2.1,
        0.002)), new EpochReport(1, 10, 2000, 2.0, 2.2, 0.002, 500, 4.0, "", false));
    RunFiles.appendValidation(dir, new ValidationReport(20, 4000, 1.4, true, 1.4, 0, 8.0));
    RunFiles.appendMetrics(dir, new EpochReport(2, 20, 4000, 1.0, 1.4, 0.002, 500, 8.0, "", false));
    RunFiles.appendMetrics(dir, List.of(new RunFiles.LossPoint(25, 3, 0.9, 0.001)), new EpochReport(3, 25, 5000, 0.9,
        Double.NaN, 0.001, 500, 9.0, "", true));

    RunFiles.writePlot(dir);

    String svg = Files.readString(dir.resolve(RunFiles.PLOT));
    assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
    assertTrue(svg.strip().endsWith("</svg>"));
    assertEquals(3, count(svg, "<polyline"), "the curve, the learning rate and the validation losses");
    assertEquals(3 + 2, count(svg, "<circle"), "three training points, and two validation points (step 20 once)");
    assertTrue(svg.contains("stroke-dasharray"), "the learning rate is dashed");
    assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(RunFiles.PLOT, RunFiles.METRICS),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files are left behind");
    }
  }

  @Test
  void plotOfNothingOrOnePointIsStillADrawing() {
    for (List<double[]> steps : List.of(List.<double[]>of(), List.of(new double[] {1, 2.5}))) {
      String svg = LossPlot.svg(steps, List.of(), List.of(), steps);
      assertTrue(svg.contains("</svg>"));
      assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
    }
  }

  @Test
  void axesAreTickedAtRoundValuesThatCoverTheData() {
    LossPlot.Axis loss = LossPlot.Axis.of(1.23, 4.17);
    assertEquals(List.of(1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5), loss.ticks());
    assertEquals("1.5", loss.label(1.5));
    LossPlot.Axis steps = LossPlot.Axis.of(0, 1234);
    assertEquals(List.of(0.0, 200.0, 400.0, 600.0, 800.0, 1000.0, 1200.0, 1400.0), steps.ticks());
    assertEquals("1200", steps.label(1200));
    LossPlot.Axis rate = LossPlot.Axis.of(0, 0.004);
    assertEquals("0.004", rate.label(rate.ticks().get(rate.ticks().size() - 1)));
  }

  @Test
  void writeAtomicallyReplacesTheWholeFile() throws IOException {
    Path file = dir.resolve("note.txt");
    RunFiles.writeAtomically(file, "a long first version\n");
    RunFiles.writeAtomically(file, "short\n");
    assertEquals("short\n", Files.readString(file));
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
