package dev.tapegrad.rnn.cli;

import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.rnn.train.LearningRateSchedule;
import dev.tapegrad.rnn.train.TrainConfig;
import dev.tapegrad.rnn.train.TrainPreset;
import dev.tapegrad.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * {@code train}'s settings, each defined once, in {@link #ALL}: its key in the saved training
 * state, its flag and help, how to read it from a run's {@link Values} and set it on a
 * {@link Draft}, and how it is shown. That one table makes the command's options (through
 * {@link Options}), merges them with a resumed run's saved settings and the preset's, writes them
 * into the training state, and writes the help, whose defaults are read from the presets
 * themselves.
 *
 * <p>A setting's value is the first of: its flag on the command line, the value saved with the run
 * being resumed, and the preset's. The bounds ({@code --epochs}, {@code --steps},
 * {@code --minutes}) are taken together: when any of them is given, the others are 0 rather than
 * the saved or preset ones, so a run stops at the bounds given and no other.
 *
 * <p>The text ({@value #DATA}) and the preset ({@value #PRESET}) are saved too, first; they are
 * plain options of {@link TrainCommand}, since they decide where the others come from.
 */
final class TrainSettings {

  /** The saved key of the text: its absolute path, {@code -} for standard input, or {@value #EMBEDDED}. */
  static final String DATA = "data";
  /** The saved value of {@value #DATA} for the embedded corpus. */
  static final String EMBEDDED = "embedded";
  /** The saved key of the text's {@code TextFile.fingerprint} (absent for the embedded corpus). */
  static final String DATA_FINGERPRINT = "data_fingerprint";
  /** The saved key of the layer count, which {@link #ALL} lists before {@link #DROPOUT}. */
  private static final String LAYERS = "layers";
  /** The saved key of the dropout between layers. */
  private static final String DROPOUT = "dropout";
  /** The saved key of the preset's name. */
  static final String PRESET = "preset";

  private TrainSettings() {}

  /**
   * What the settings decide.
   *
   * @param config the training run's configuration
   * @param saveEvery save the run every this many steps, besides each epoch's end (0: only there)
   */
  record Values(TrainConfig config, long saveEvery) {

    /** {@return the preset's values} */
    static Values of(TrainPreset preset) {
      return new Values(preset.builder().build(), 0);
    }
  }

  /** {@link Values} being put together, one setting at a time. */
  static final class Draft {
    private final TrainConfig.Builder config;
    private LearningRateSchedule.Kind schedule;
    private long warmup;
    private long saveEvery;

    private Draft(TrainPreset preset) {
      Values base = Values.of(preset);
      config = preset.builder();
      schedule = base.config().schedule().kind();
      warmup = base.config().schedule().warmupSteps();
      saveEvery = base.saveEvery();
    }

    private Values build() {
      config.schedule(new LearningRateSchedule(schedule, warmup));
      return new Values(config.build(), saveEvery);
    }
  }

  /**
   * One setting.
   *
   * @param key its key in the saved training state
   * @param flag its command-line flag
   * @param label the flag's value in the help, or null for a flag without one
   * @param type the flag's value type
   * @param negatable whether {@code --no-FLAG} exists (for a boolean)
   * @param bound whether it is one of the run's bounds (see the class comment)
   * @param description its help, without the defaults, which are appended
   * @param read its value in a run's values
   * @param apply sets it on a draft
   * @param show its value as the help shows it
   * @param check checks a value given on the command line, before anything else happens
   * @param <T> the value type
   */
  record Setting<T>(String key, String flag, String label, Class<T> type, boolean negatable, boolean bound,
      String description, Function<Values, T> read, BiConsumer<Draft, T> apply, Function<T, String> show,
      Consumer<T> check) {

    /** {@return this setting, as one of the bounds} */
    Setting<T> asBound() {
      return new Setting<>(key, flag, label, type, negatable, true, description, read, apply, show, check);
    }

    /** {@return this setting, with {@code --no-FLAG}} */
    Setting<T> asNegatable() {
      return new Setting<>(key, flag, label, type, true, bound, description, read, apply, show, check);
    }

    /** {@return this setting, whose given value {@code check} checks} */
    Setting<T> checkedBy(Consumer<T> newCheck) {
      return new Setting<>(key, flag, label, type, negatable, bound, description, read, apply, show, newCheck);
    }

    /** Parses a saved value: numbers as doubles narrowed to the type, as runs have always been resumed. */
    T parseSaved(String text) {
      if (type == String.class) {
        return type.cast(text);
      }
      if (type == Boolean.class) {
        return type.cast(Boolean.parseBoolean(text));
      }
      double x;
      try {
        x = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the saved run's setting '" + key + "' is not a number: " + text);
      }
      Object narrowed = type == Integer.class ? (Object) (int) x : type == Long.class ? (Object) (long) x
          : type == Float.class ? (Object) (float) x : (Object) x;
      return type.cast(narrowed);
    }

    /** {@return its value in {@code values}, as saved: {@link String#valueOf}} */
    String format(Values values) {
      return String.valueOf(read.apply(values));
    }

    /** Sets {@code value} on the draft ({@code Object}, since the table holds settings of every type). */
    void applyTo(Draft draft, Object value) {
      apply.accept(draft, type.cast(value));
    }

    /**
     * Returns the help: the description, then each preset's default, taken from the presets, when
     * they differ ({@code notebook 512, data 512, embedded 192}), or the one default when they do
     * not.
     */
    String help() {
      List<String> shown = new ArrayList<>();
      for (TrainPreset p : TrainPreset.values()) {
        shown.add(show.apply(read.apply(Values.of(p))));
      }
      if (shown.stream().distinct().count() == 1) {
        return description + " (default: " + shown.get(0) + ").";
      }
      List<String> perPreset = new ArrayList<>();
      for (TrainPreset p : TrainPreset.values()) {
        perPreset.add(p.id() + " " + shown.get(p.ordinal()));
      }
      return description + " (" + (bound ? "when no bound is given: " : "") + String.join(", ", perPreset) + ").";
    }

    /** {@return the picocli option} */
    OptionSpec option() {
      OptionSpec.Builder b = OptionSpec.builder(flag).type(type).negatable(negatable).description(help());
      if (label != null) {
        b.paramLabel(label);
      }
      return b.build();
    }
  }

  /** Every setting, in the order they are saved. */
  static final List<Setting<?>> ALL = List.of(
      text("cell", "--cell", "CELL", "Recurrent cell: gru, lstm or rnn",
          v -> v.config().cell().id(), (d, x) -> d.config.cell(cell(x))),
      number("hidden", "--hidden", "H", Integer.class, "Recurrent width H",
          v -> v.config().hidden(), (d, x) -> d.config.hidden(x)),
      number(LAYERS, "--layers", "N", Integer.class, "Recurrent layers",
          v -> v.config().layers(), (d, x) -> d.config.layers(x)),
      number(DROPOUT, "--dropout", "P", Float.class, "Share of each layer's outputs dropped in training, between "
          + "layers; needs --layers 2 or more (a preset's is left out with --layers 1)", v -> v.config().dropout(), (d, x) -> d.config.dropout(x)),
      number("seq", "--seq", "LENGTH", Integer.class, "Characters per chunk, the length of back-propagation through "
          + "time", v -> v.config().seq(), (d, x) -> d.config.seq(x)),
      number("batch", "--batch", "N", Integer.class, "Chunks per step",
          v -> v.config().batch(), (d, x) -> d.config.batch(x)),
      flag("stateful", "--stateful", "Each batch row walks its own stretch of the text, carrying its state from chunk "
          + "to chunk; --no-stateful: random chunks from a zero state, as the notebook", "stateful", "random",
          v -> v.config().stateful(), (d, x) -> d.config.stateful(x)).asNegatable(),
      number("lr", "--lr", "RATE", Float.class, "Adam's base learning rate",
          v -> v.config().learningRate(), (d, x) -> d.config.learningRate(x)),
      text("schedule", "--schedule", "KIND", "Learning-rate decay over the run: constant, cosine (down to a "
          + "tenth) or step (halved at 1/3 and 2/3)",
          v -> v.config().schedule().kind().id(), (d, x) -> d.schedule = LearningRateSchedule.Kind.parse(x)),
      number("warmup", "--warmup", "STEPS", Long.class, "Linear learning-rate warm-up over the first STEPS steps",
          v -> v.config().schedule().warmupSteps(), (d, x) -> d.warmup = x),
      number("weight_decay", "--weight-decay", "W", Float.class, "Decoupled (AdamW) weight decay",
          v -> v.config().weightDecay(), (d, x) -> d.config.weightDecay(x)),
      number("clip", "--clip", "NORM", Double.class, "Largest global gradient norm",
          v -> v.config().clip(), (d, x) -> d.config.clip(x)),
      number("eval_every", "--eval-every", "STEPS", Long.class, "Also measure the validation loss every STEPS steps, "
          + "not only at each epoch's end, and save each new best as " + Checkpoint.BEST_MODEL_FILE + "; 0: epoch ends "
          + "only",
          v -> v.config().evalEvery(), (d, x) -> d.config.evalEvery(x)),
      number("patience", "--patience", "N", Integer.class, "Stop after N validation measurements in a row without a "
          + "new best; 0: never", v -> v.config().patience(), (d, x) -> d.config.patience(x)),
      number("epochs", "--epochs", "N", Integer.class, "Stop after this many epochs, each about one pass over "
          + "the text; 0: no limit", v -> v.config().epochs(), (d, x) -> d.config.epochs(x)).asBound(),
      number("steps", "--steps", "N", Long.class, "Stop when the run has taken this many steps in all; "
          + "0: no limit", v -> v.config().steps(), (d, x) -> d.config.steps(x)).asBound(),
      number("minutes", "--minutes", "M", Double.class, "Stop after this much wall time; 0: no limit",
          v -> v.config().minutes(), (d, x) -> d.config.minutes(x)).asBound(),
      number("seed", "--seed", "N", Long.class, "Random seed: the same seed gives the same run",
          v -> v.config().seed(), (d, x) -> d.config.seed(x)),
      number("val_fraction", "--val-fraction", "F", Double.class, "Share of the text, at its end, held "
          + "out for validation", v -> v.config().valFraction(), (d, x) -> d.config.valFraction(x)),
      flag("lowercase", "--lowercase", "Lower-case the text first, as the notebook did", "lower-case", "keep case",
          v -> v.config().lowercase(), (d, x) -> d.config.lowercase(x)),
      number("sample_length", "--sample-length", "N", Integer.class, "Characters of the sample printed at each "
          + "epoch's end, drawn as 'sample' draws them (temperature " + Sampler.DEFAULT_TEMPERATURE + ", seed "
          + Sampler.DEFAULT_SEED + "); 0: none", v -> v.config().sampleLength(), (d, x) -> d.config.sampleLength(x)),
      number("save_every", "--save-every", "N", Long.class, "Also save the run every N steps, besides each epoch's "
          + "end and the run's end; 0: only there", Values::saveEvery, (d, x) -> d.saveEvery = x)
          .checkedBy(x -> {
            if (x < 0) {
              throw new IllegalArgumentException("--save-every must be at least 0 (0 saves only at epoch ends), got "
                  + x);
            }
          }));

  /**
   * Returns the settings given on the command line, each checked.
   *
   * @param spec {@code train}'s parsed command
   * @return the value of each setting given, in table order
   * @throws ParameterException a usage error, if a check fails
   */
  static Map<Setting<?>, Object> given(CommandSpec spec) {
    Map<Setting<?>, Object> given = new LinkedHashMap<>();
    for (Setting<?> s : ALL) {
      Object value = spec.findOption(s.flag()).getValue();
      if (value != null) {
        try {
          check(s, value);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        given.put(s, value);
      }
    }
    return given;
  }

  private static <T> void check(Setting<T> s, Object value) {
    s.check().accept(s.type().cast(value));
  }

  /** {@return whether any of the bounds is among the given settings} */
  static boolean boundGiven(Map<Setting<?>, Object> given) {
    return given.keySet().stream().anyMatch(Setting::bound);
  }

  /**
   * Merges the settings: each is the one given, else the saved one, else the preset's. A preset's
   * dropout acts between layers, so it is left out of a run of one layer ({@code --layers 1} with
   * {@code --preset data}); a dropout given or saved is kept, and refused with one layer.
   *
   * @param given the settings given on the command line ({@link #given})
   * @param saved the settings saved with the run being resumed (empty for a new run)
   * @param preset the preset
   * @return the run's values
   * @throws SettingException naming the flag whose value is out of range or unknown
   * @throws IllegalArgumentException naming the saved setting that is not a number
   */
  static Values merge(Map<Setting<?>, Object> given, Map<String, String> saved, TrainPreset preset) {
    Values base = Values.of(preset);
    boolean bounded = boundGiven(given);
    Draft draft = new Draft(preset);
    Object layers = null;
    for (Setting<?> s : ALL) {
      Object value;
      if (given.containsKey(s)) {
        value = given.get(s);
      } else if (s.bound() && bounded) {
        // Bounds on the command line replace the saved run's and the preset's bounds: 0, no limit.
        value = s.parseSaved("0");
      } else if (saved.containsKey(s.key())) {
        value = s.parseSaved(saved.get(s.key()));
      } else if (s.key().equals(DROPOUT) && layers instanceof Integer n && n < 2) {
        value = 0f;
      } else {
        value = s.read().apply(base);
      }
      if (s.key().equals(LAYERS)) {
        layers = value;
      }
      try {
        s.applyTo(draft, value);
      } catch (IllegalArgumentException e) {
        throw new SettingException(e.getMessage(), e);
      }
    }
    try {
      return draft.build();
    } catch (IllegalArgumentException e) {
      throw new SettingException(e.getMessage(), e);
    }
  }

  /** A setting's value that is out of range or unknown; the message names its flag. */
  static final class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    SettingException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Returns the settings to save with the run, by key: the text, the preset, then the table.
   *
   * @param values the run's values
   * @param preset its preset
   * @param data the text's absolute path, {@code -} or {@value #EMBEDDED}
   * @param fingerprint the text's fingerprint, or null for the embedded corpus
   * @return the settings, in table order
   */
  static Map<String, String> saved(Values values, TrainPreset preset, String data, String fingerprint) {
    Map<String, String> m = new LinkedHashMap<>();
    json(values, preset, data, fingerprint).forEach((key, value) -> m.put(key, String.valueOf(value)));
    return m;
  }

  /**
   * Returns the settings as JSON values by key, as the run's {@code settings.json} and its metrics'
   * first record hold them: the same keys as {@link #saved}, each value of its own JSON type.
   *
   * @param values the run's values
   * @param preset its preset
   * @param data the text's absolute path, {@code -} or {@value #EMBEDDED}
   * @param fingerprint the text's fingerprint, or null for the embedded corpus
   * @return the settings, in table order
   */
  static Map<String, Object> json(Values values, TrainPreset preset, String data, String fingerprint) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(DATA, data);
    if (fingerprint != null) {
      m.put(DATA_FINGERPRINT, fingerprint);
    }
    m.put(PRESET, preset.id());
    for (Setting<?> s : ALL) {
      m.put(s.key(), s.read().apply(values));
    }
    return m;
  }

  /**
   * Reads a run's {@code settings.json} (or any JSON object of settings by key) as saved settings,
   * for {@code train --config}: every value as the text {@link #saved} would give it.
   *
   * @param file the file
   * @return the settings by key
   * @throws IllegalArgumentException naming the file and the problem: unreadable, not a JSON object,
   *     an unknown key (with the nearest known one), or a value that is not a string, number or boolean
   */
  static Map<String, String> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--config " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not a JSON object of settings: " + e.getMessage(), e);
    }
    List<String> known = new ArrayList<>(List.of(DATA, DATA_FINGERPRINT, PRESET));
    ALL.forEach(s -> known.add(s.key()));
    Map<String, String> settings = new LinkedHashMap<>();
    json.forEach((key, value) -> {
      if (!known.contains(key)) {
        String near = known.stream().min(Comparator.comparingInt(k -> Main.editDistance(k, key))).orElse("");
        throw new IllegalArgumentException(file + ": unknown setting '" + key + "' (did you mean '" + near + "'?)");
      }
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new IllegalArgumentException(file + ": setting '" + key + "' must be a string, a number or true/false");
      }
      settings.put(key, String.valueOf(value));
    });
    return settings;
  }

  /**
   * The sections of {@code train --help}, in order, with the flags each lists: {@code train}'s own
   * options, the settings and {@code --threads}. The options of no section ({@code --help},
   * {@code --version}) come last, under "Options".
   */
  static final List<Map.Entry<String, List<String>>> SECTIONS = List.of(
      Map.entry("Data", List.of("--data", "--preset", "--val-fraction", "--lowercase")),
      Map.entry("Model", List.of("--cell", "--hidden", "--layers", "--dropout")),
      Map.entry("Optimisation", List.of("--seq", "--batch", "--stateful", "--lr", "--schedule", "--warmup",
          "--weight-decay", "--clip", "--seed")),
      Map.entry("Bounds", List.of("--epochs", "--steps", "--minutes", "--eval-every", "--patience")),
      Map.entry("Output", List.of("--out", "--resume", "--config", "--force", "--save-every", "--sample-length",
          "--threads")));

  /**
   * Adds one option per setting to {@code train}, after its own options and before the shared ones
   * (from mixins: {@code --threads}, {@code --help}, {@code --version}), and lists them in the help
   * in {@link #SECTIONS}.
   */
  static final class Options implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      List<OptionSpec> options = spec.options();
      List<OptionSpec> shared = new ArrayList<>(options.subList(options.indexOf(spec.findOption("--preset")) + 1,
          options.size()));
      shared.forEach(spec::remove);
      for (Setting<?> s : ALL) {
        spec.addOption(s.option());
      }
      shared.forEach(spec::addOption);
      Map<String, CommandLine.IHelpSectionRenderer> sections = new LinkedHashMap<>(spec.usageMessage().sectionMap());
      sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
      sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, TrainSettings::optionSections);
      spec.usageMessage().sectionMap(sections);
      return spec;
    }
  }

  /** The option list of {@code train --help}: one titled list per section, then the options of none. */
  static String optionSections(Help help) {
    CommandSpec spec = help.commandSpec();
    List<OptionSpec> rest = new ArrayList<>(spec.options());
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, List<String>> section : SECTIONS) {
      Help.Layout layout = help.createDefaultLayout();
      for (String flag : section.getValue()) {
        OptionSpec option = spec.findOption(flag);
        if (option != null) {
          layout.addOption(option, help.parameterLabelRenderer());
          rest.remove(option);
        }
      }
      text.append(String.format("%s:%n", section.getKey())).append(layout).append(String.format("%n"));
    }
    Help.Layout layout = help.createDefaultLayout();
    rest.stream().filter(o -> !o.hidden()).forEach(o -> layout.addOption(o, help.parameterLabelRenderer()));
    return text.append(String.format("Options:%n")).append(layout).toString();
  }

  private static Setting<String> text(String key, String flag, String label, String description,
      Function<Values, String> read, BiConsumer<Draft, String> apply) {
    return new Setting<>(key, flag, label, String.class, false, false, description, read, apply, x -> x, x -> { });
  }

  private static <T extends Number> Setting<T> number(String key, String flag, String label, Class<T> type,
      String description, Function<Values, T> read, BiConsumer<Draft, T> apply) {
    return new Setting<>(key, flag, label, type, false, false, description, read, apply, TrainSettings::plain,
        x -> { });
  }

  private static Setting<Boolean> flag(String key, String flag, String description, String on, String off,
      Function<Values, Boolean> read, BiConsumer<Draft, Boolean> apply) {
    return new Setting<>(key, flag, null, Boolean.class, false, false, description, read, apply, x -> x ? on : off,
        x -> { });
  }

  /** {@link CellKind#parse}, naming the flag. */
  private static CellKind cell(String id) {
    try {
      return CellKind.parse(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown --cell '" + id + "': choose gru, lstm or rnn", e);
    }
  }

  /** A number as a reader writes it: {@code 5} for 5.0, {@code 0.001} for 1.0E-3. */
  static String plain(Number x) {
    return new BigDecimal(x.toString()).stripTrailingZeros().toPlainString();
  }
}
