package dev.tapegrad.rnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.rnn.train.EpochReport;
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
    RunFiles.appendMetrics(dir, new EpochReport(1, 10, 2000, 1.5, 1.75, 500, 4.0, "ab", false));
    RunFiles.appendMetrics(dir, new EpochReport(1, 12, 2400, 1.25, Double.NaN, 480, 4.5, "ab", true));

    List<Map<String, Object>> records = RunFiles.readMetrics(dir);

    assertEquals(2, records.size());
    Map<String, Object> first = records.get(0);
    assertEquals(List.of("event", "epoch", "step", "chars", "train_loss", "train_bpc", "val_loss", "val_bpc",
        "chars_per_s", "elapsed_s"), new ArrayList<>(first.keySet()));
    assertEquals("epoch", first.get("event"));
    assertEquals(10L, ((Number) first.get("step")).longValue());
    assertEquals(2000L, ((Number) first.get("chars")).longValue());
    assertEquals(1.5 / Math.log(2), ((Number) first.get("train_bpc")).doubleValue(), 1e-12);
    assertEquals(1.75, ((Number) first.get("val_loss")).doubleValue());
    Map<String, Object> end = records.get(1);
    assertEquals("end", end.get("event"));
    assertTrue(end.containsKey("val_loss"));
    assertNull(end.get("val_loss"), "JSON has no NaN: a missing validation loss is null");
    assertNull(end.get("val_bpc"));
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
  void plotDrawsStepLossesAndEveryEpochPoint() throws IOException {
    RunFiles.appendMetrics(dir, new EpochReport(1, 10, 2000, 2.0, 2.2, 500, 4.0, "", false));
    RunFiles.appendMetrics(dir, new EpochReport(2, 20, 4000, 1.0, 1.4, 500, 8.0, "", false));
    RunFiles.appendMetrics(dir, new EpochReport(2, 25, 5000, 0.9, Double.NaN, 500, 9.0, "", true));

    RunFiles.writePlot(dir, List.of(new double[] {1, 3.0}, new double[] {10, 2.1}, new double[] {25, 0.9}));

    String svg = Files.readString(dir.resolve(RunFiles.PLOT));
    assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
    assertTrue(svg.strip().endsWith("</svg>"));
    assertEquals(2, count(svg, "<polyline"), "the step losses and the validation losses");
    assertEquals(3 + 2, count(svg, "<circle"), "three training and two validation points");
    assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(RunFiles.PLOT, RunFiles.METRICS),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files are left behind");
    }
  }

  @Test
  void plotOfNothingOrOnePointIsStillADrawing() {
    for (List<double[]> steps : List.of(List.<double[]>of(), List.of(new double[] {1, 2.5}))) {
      String svg = LossPlot.svg(steps, List.of(), List.of());
      assertTrue(svg.contains("</svg>"));
      assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
    }
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
