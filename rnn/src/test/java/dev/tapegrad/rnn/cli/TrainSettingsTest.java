package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.io.Safetensors;
import dev.tapegrad.rnn.train.LearningRateSchedule;
import dev.tapegrad.rnn.train.TrainConfig;
import dev.tapegrad.rnn.train.TrainPreset;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link TrainSettings}: the help shows the presets' own defaults, and the merge and the saved keys. */
class TrainSettingsTest {

  /**
   * How each component of {@link TrainConfig} appears in {@code train --help}: its flag and its
   * value as the help writes it. Written here independently of the settings table, from the flags'
   * documented meaning; a new component fails {@link #everyComponentOfTheConfigHasAFlagHere} until
   * it is added.
   */
  private static final Map<String, List<Shown>> FLAGS = Map.ofEntries(
      Map.entry("cell", List.of(new Shown("--cell", c -> c.cell().id()))),
      Map.entry("hidden", List.of(new Shown("--hidden", c -> number(c.hidden())))),
      Map.entry("layers", List.of(new Shown("--layers", c -> number(c.layers())))),
      Map.entry("dropout", List.of(new Shown("--dropout", c -> number(c.dropout())))),
      Map.entry("seq", List.of(new Shown("--seq", c -> number(c.seq())))),
      Map.entry("batch", List.of(new Shown("--batch", c -> number(c.batch())))),
      Map.entry("learningRate", List.of(new Shown("--lr", c -> number(c.learningRate())))),
      Map.entry("schedule", List.of(new Shown("--schedule", c -> c.schedule().kind().id()),
          new Shown("--warmup", c -> number(c.schedule().warmupSteps())))),
      Map.entry("weightDecay", List.of(new Shown("--weight-decay", c -> number(c.weightDecay())))),
      Map.entry("clip", List.of(new Shown("--clip", c -> number(c.clip())))),
      Map.entry("stateful", List.of(new Shown("--[no-]stateful", c -> c.stateful() ? "stateful" : "random"))),
      Map.entry("epochs", List.of(new Shown("--epochs", c -> number(c.epochs())))),
      Map.entry("steps", List.of(new Shown("--steps", c -> number(c.steps())))),
      Map.entry("minutes", List.of(new Shown("--minutes", c -> number(c.minutes())))),
      Map.entry("evalEvery", List.of(new Shown("--eval-every", c -> number(c.evalEvery())))),
      Map.entry("patience", List.of(new Shown("--patience", c -> number(c.patience())))),
      Map.entry("seed", List.of(new Shown("--seed", c -> number(c.seed())))),
      Map.entry("valFraction", List.of(new Shown("--val-fraction", c -> number(c.valFraction())))),
      Map.entry("lowercase", List.of(new Shown("--lowercase", c -> c.lowercase() ? "lower-case" : "keep case"))),
      Map.entry("sampleLength", List.of(new Shown("--sample-length", c -> number(c.sampleLength())))));

  /** A flag and how the help shows a configuration's value for it. */
  private record Shown(String flag, Function<TrainConfig, String> value) {}

  @Test
  void everyComponentOfTheConfigHasAFlagHere() {
    List<String> components = Arrays.stream(TrainConfig.class.getRecordComponents()).map(RecordComponent::getName)
        .sorted().toList();
    assertEquals(components, FLAGS.keySet().stream().sorted().toList());
  }

  @Test
  void helpShowsEveryPresetsOwnDefaultWhereThePresetsDiffer() {
    Map<String, String> help = optionHelp();
    int differing = 0;
    for (List<Shown> shownList : FLAGS.values()) {
      for (Shown shown : shownList) {
        String text = help.get(shown.flag());
        assertTrue(text != null, shown.flag() + " is in the help: " + help.keySet());
        List<String> values = new ArrayList<>();
        for (TrainPreset p : TrainPreset.values()) {
          values.add(shown.value().apply(p.builder().build()));
        }
        if (values.stream().distinct().count() == 1) {
          assertTrue(text.contains("(default: " + values.get(0) + ")."), shown.flag() + ": " + text);
        } else {
          differing++;
          List<String> perPreset = new ArrayList<>();
          for (TrainPreset p : TrainPreset.values()) {
            perPreset.add(p.id() + " " + values.get(p.ordinal()));
          }
          assertTrue(text.contains(String.join(", ", perPreset) + ")."), shown.flag() + ": " + text);
        }
      }
    }
    // hidden, batch, stateful, lr, schedule, warmup, eval-every, epochs and minutes, today
    assertTrue(differing >= 9, "settings that differ between presets: " + differing);
  }

  @Test
  void helpListsEveryOptionOnceInItsSectionAndNamesTheSaveEveryDefault() {
    Map<String, String> help = optionHelp();
    assertTrue(help.get("--save-every").endsWith("(default: 0)."), help.get("--save-every"));
    List<String> sectioned = new ArrayList<>();
    TrainSettings.SECTIONS.forEach(section -> sectioned.addAll(section.getValue()));
    sectioned.add("-h, --help");
    sectioned.add("-V, --version");
    List<String> flags = new ArrayList<>(help.keySet()).stream().map(f -> f.replace("--[no-]", "--")).toList();
    assertEquals(sectioned, flags, "every option, once, in the order of the sections");

    String text = MainTest.run("train", "--help").out();
    List<String> headings = text.lines().filter(l -> l.matches("[A-Z][a-z]+:")).toList();
    assertEquals(List.of("Data:", "Model:", "Optimisation:", "Bounds:", "Output:", "Options:", "Examples:"), headings);
    assertFalse(text.contains("<"), "every value has a name, not a field's: " + text);
  }

  @Test
  void aSettingGivenBeatsTheSavedOneWhichBeatsThePresets() {
    Map<TrainSettings.Setting<?>, Object> given = given(Map.of("--hidden", 8));
    Map<String, String> saved = Map.of("hidden", "16", "batch", "4", "schedule", "step");
    TrainConfig c = TrainSettings.merge(given, saved, TrainPreset.DATA).config();
    assertEquals(8, c.hidden());
    assertEquals(4, c.batch());
    assertEquals(new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 100), c.schedule());
    assertEquals(0.004f, c.learningRate());
  }

  @Test
  void thePresetsDropoutIsLeftOutOfAOneLayerRunButAGivenOneIsRefused() {
    TrainConfig deep = TrainSettings.merge(Map.of(), Map.of(), TrainPreset.DATA).config();
    assertEquals(List.of(2, 0.25f), List.of(deep.layers(), deep.dropout()));
    TrainConfig one = TrainSettings.merge(given(Map.of("--layers", 1)), Map.of(), TrainPreset.DATA).config();
    assertEquals(List.of(1, 0f), List.of(one.layers(), one.dropout()));
    TrainConfig savedOne = TrainSettings.merge(Map.of(), Map.of("layers", "1"), TrainPreset.DATA).config();
    assertEquals(0f, savedOne.dropout());
    assertEquals("--dropout 0.3 acts between layers, so it needs --layers 2 or more",
        assertThrows(IllegalArgumentException.class, () -> TrainSettings.merge(
            given(Map.of("--layers", 1, "--dropout", 0.3f)), Map.of(), TrainPreset.DATA)).getMessage());
  }

  @Test
  void anyBoundGivenReplacesTheSavedAndThePresetsBounds() {
    Map<String, String> saved = Map.of("epochs", "7", "steps", "0", "minutes", "3.5");
    TrainConfig kept = TrainSettings.merge(Map.of(), saved, TrainPreset.NOTEBOOK).config();
    assertEquals(List.of(7, 0L, 3.5), List.of(kept.epochs(), kept.steps(), kept.minutes()));
    TrainConfig replaced = TrainSettings.merge(given(Map.of("--steps", 5L)), saved, TrainPreset.NOTEBOOK).config();
    assertEquals(List.of(0, 5L, 0.0), List.of(replaced.epochs(), replaced.steps(), replaced.minutes()));
    TrainConfig preset = TrainSettings.merge(Map.of(), Map.of(), TrainPreset.EMBEDDED).config();
    assertEquals(List.of(0, 0L, 2.0), List.of(preset.epochs(), preset.steps(), preset.minutes()));
  }

  @Test
  void aSavedSettingThatIsNotANumberIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.merge(Map.of(), Map.of("clip", "five"), TrainPreset.DATA));
    assertEquals("the saved run's setting 'clip' is not a number: five", e.getMessage());
  }

  /** The saved settings come in the order the recorded golden run has them, and read back as they were. */
  @Test
  void savedSettingsHaveTheRecordedKeysInTheirOrderAndMergeBackUnchanged() throws IOException {
    Map<String, String> recorded;
    try (InputStream in = TrainSettingsTest.class.getResourceAsStream("/golden/gru-random/training-state.safetensors")) {
      recorded = Safetensors.read(in.readAllBytes()).metadata();
    }
    TrainSettings.Values values = TrainSettings.merge(Map.of(), recorded, TrainPreset.NOTEBOOK);
    Map<String, String> saved = TrainSettings.saved(values, TrainPreset.NOTEBOOK, recorded.get(TrainSettings.DATA),
        recorded.get(TrainSettings.DATA_FINGERPRINT));
    Map<String, String> expected = new LinkedHashMap<>();
    for (String key : saved.keySet()) {
      expected.put(key, recorded.get(key));
    }
    assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(saved.entrySet()));
    assertEquals(new ArrayList<>(recorded.keySet()).subList(0, saved.size()), new ArrayList<>(saved.keySet()));
  }

  private static Map<TrainSettings.Setting<?>, Object> given(Map<String, Object> byFlag) {
    Map<TrainSettings.Setting<?>, Object> given = new LinkedHashMap<>();
    for (TrainSettings.Setting<?> s : TrainSettings.ALL) {
      if (byFlag.containsKey(s.flag())) {
        given.put(s, byFlag.get(s.flag()));
      }
    }
    assertEquals(byFlag.size(), given.size(), "unknown flags in " + byFlag);
    return given;
  }

  /** {@code train --help}'s option list: each option's flags (without their value) to its text, spaces collapsed. */
  private static Map<String, String> optionHelp() {
    MainTest.Result r = MainTest.run("train", "--help");
    assertEquals(0, r.status(), r.toString());
    String options = r.out().substring(r.out().indexOf("\nData:\n"), r.out().indexOf("\nExamples:"));
    Matcher m = Pattern.compile("(?m)^  (?:    |-\\w, )(--\\S+?)(?:=\\S+)?(?: |$)").matcher(options);
    Map<String, String> help = new LinkedHashMap<>();
    List<int[]> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (m.find()) {
      starts.add(new int[] {m.start(), m.end()});
      names.add(m.group(0).strip().replaceAll("=\\S+$", ""));
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : options.length();
      help.put(names.get(i), options.substring(starts.get(i)[1], end).replaceAll("\\s+", " ").strip());
    }
    return help;
  }

  /** A number as the help writes it: 5 for 5.0, 0.001 for 1.0E-3. */
  private static String number(Number x) {
    return new BigDecimal(x.toString()).stripTrailingZeros().toPlainString();
  }
}
