package dev.tapegrad.rnn.checkpoint;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.io.Json;
import dev.tapegrad.io.Safetensors;
import dev.tapegrad.io.SafetensorsFormatException;
import dev.tapegrad.io.StateDict;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.train.TrainingState;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Saves and loads a char model as a PyTorch-compatible safetensors file, and the training state
 * beside it.
 *
 * <p>{@value #MODEL_FILE} holds exactly the {@code state_dict} of the notebook's model
 * ({@code encoder.weight}, {@code rnn.weight_ih_l0}, …, {@code decoder.bias}) as F32 tensors, so
 * {@code model.load_state_dict(state, strict=True)} accepts it. Its {@code __metadata__} says
 * {@code format} = {@value #FORMAT}, {@code cell}, {@code hidden}, {@code layers}, {@code lowercase}
 * and {@code vocab}, a JSON array of the vocabulary's code points in id order; {@code step} pairs it
 * with its training state. Any file with these names and metadata, written by any tool, loads.
 *
 * <p>{@value #STATE_FILE} holds Adam's moments as tensors {@code adam.m.NAME} and {@code adam.v.NAME},
 * for stateful training the state carried into the next chunk as {@code carry.h_lK} (and
 * {@code carry.c_lK} for an LSTM), and in its metadata the step, the random states, the elapsed
 * time, the best validation loss, the evaluations since it and the run's settings. No Java
 * serialization is used anywhere.
 *
 * <p><b>Crash safety.</b> Each file is replaced atomically, and {@link #save} replaces the pair so
 * that a run directory always holds a state file whose step equals the model's, whenever the
 * process is killed: the state that belongs to the model on disk is kept as
 * {@value #PREVIOUS_STATE_FILE} until the new model is in place, and {@link #loadState} falls back
 * to it. A model is never paired with the state of another step.
 */
public final class Checkpoint {

  /** The model file's name inside a run directory. */
  public static final String MODEL_FILE = "model.safetensors";
  /** The training state file's name inside a run directory. */
  public static final String STATE_FILE = "training-state.safetensors";
  /**
   * The best model by validation loss, saved beside {@value #MODEL_FILE} whenever a validation
   * measurement sets a new best; same format, loadable by {@link #loadModel}.
   */
  public static final String BEST_MODEL_FILE = "best-model.safetensors";
  /** The model file's {@code format} metadata value. */
  public static final String FORMAT = "tapegrad-charrnn/1";
  /** The training state file's {@code format} metadata value. */
  public static final String STATE_FORMAT = "tapegrad-trainstate/1";
  /**
   * The training state that belongs to the model on disk while {@link #save} replaces the pair;
   * present only when a save was interrupted.
   */
  public static final String PREVIOUS_STATE_FILE = "training-state.previous.safetensors";

  /**
   * The longest {@code vocab} metadata read: ten characters for each of the 1,114,112 Unicode code
   * points. A longer value cannot be a vocabulary, and is refused before it is parsed.
   */
  private static final int MAX_VOCAB_JSON_CHARS = 10 * (Character.MAX_CODE_POINT + 1);

  /** Beyond this many missing tensors, a file is refused by its count instead of a list of names. */
  private static final int MAX_MISSING_LISTED = 64;

  /**
   * A loaded model.
   *
   * @param model the model with the file's weights
   * @param vocab its vocabulary
   * @param step the training step it was saved at (0 when the file does not say)
   * @param file the model file read
   */
  public record Loaded(CharModel model, CharVocabulary vocab, long step, Path file) {}

  private Checkpoint() {}

  /**
   * Writes the model file (atomically: a reader sees the old file or the new one, never a mix).
   *
   * @param file the path of the model file
   * @param model the model
   * @param vocab its vocabulary
   * @param step the training step, recorded in the metadata
   */
  public static void saveModel(Path file, CharModel model, CharVocabulary vocab, long step) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("cell", model.cell().id());
    meta.put("hidden", Integer.toString(model.hidden()));
    meta.put("layers", Integer.toString(model.layers()));
    meta.put("lowercase", Boolean.toString(vocab.lowercase()));
    meta.put("vocab", Json.write(vocab.codePoints()));
    meta.put("step", Long.toString(step));
    StateDict.save(file, model, meta);
  }

  /**
   * Saves a checkpoint into a run directory: the training state, then the model, so that the
   * directory holds a matching pair at every moment, even if the process dies in between.
   *
   * <ol>
   *   <li>The current state file, which belongs to the current model, is renamed to
   *       {@value #PREVIOUS_STATE_FILE}.
   *   <li>The new state is written (atomically) as {@value #STATE_FILE}.
   *   <li>The new model is written (atomically) as {@value #MODEL_FILE}.
   *   <li>{@value #PREVIOUS_STATE_FILE} is deleted.
   * </ol>
   *
   * <p>If a previous save was interrupted ({@value #PREVIOUS_STATE_FILE} exists), the pair is
   * first restored from what is on disk.
   *
   * @param dir the run directory (it must exist)
   * @param model the model
   * @param vocab its vocabulary
   * @param state the training state, whose step is also recorded in the model file
   * @param settings the run's settings, saved in the state's metadata
   * @throws java.io.UncheckedIOException if a file cannot be written or renamed
   */
  public static void save(Path dir, CharModel model, CharVocabulary vocab, TrainingState state,
      Map<String, String> settings) {
    Path stateFile = dir.resolve(STATE_FILE);
    Path previous = dir.resolve(PREVIOUS_STATE_FILE);
    if (Files.exists(previous)) {
      recoverInterruptedSave(dir);
    }
    if (Files.exists(stateFile)) {
      move(stateFile, previous);
    }
    saveState(stateFile, model, state, settings);
    saveModel(dir.resolve(MODEL_FILE), model, vocab, state.step());
    try {
      Files.deleteIfExists(previous);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + previous + ": " + e.getMessage(), e);
    }
  }

  /**
   * Restores the invariant {@link #save} relies on, that {@value #STATE_FILE} belongs to the model:
   * a save interrupted before its model was written leaves the matching state in
   * {@value #PREVIOUS_STATE_FILE}, one interrupted after it leaves a stale copy there.
   */
  static void recoverInterruptedSave(Path dir) {
    Path stateFile = dir.resolve(STATE_FILE);
    Path previous = dir.resolve(PREVIOUS_STATE_FILE);
    long modelStep = savedStep(dir.resolve(MODEL_FILE));
    if (modelStep >= 0 && savedStep(stateFile) == modelStep) {
      try {
        Files.delete(previous);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + previous + ": " + e.getMessage(), e);
      }
    } else {
      move(previous, stateFile);
    }
  }

  /** Returns the {@code step} metadata of a checkpoint file, or −1 if it is absent or unreadable. */
  private static long savedStep(Path file) {
    if (!Files.exists(file)) {
      return -1;
    }
    try {
      return Long.parseLong(Safetensors.read(file).metadata().getOrDefault("step", "-1"));
    } catch (SafetensorsFormatException | UncheckedIOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Renames {@code from} over {@code to}, atomically where the file system can. */
  private static void move(Path from, Path to) {
    try {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + from + " to " + to.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads a model from a run directory (its {@value #MODEL_FILE}) or from a safetensors file.
   *
   * @param dirOrFile a run directory or a model file
   * @return the model, its vocabulary and its step
   * @throws SafetensorsFormatException naming the file and the problem if it is not a valid model
   * @throws java.io.UncheckedIOException if it cannot be read
   */
  public static Loaded loadModel(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(MODEL_FILE) : dirOrFile;
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(Files.isDirectory(dirOrFile)
          ? "no " + MODEL_FILE + " in " + dirOrFile + " (is it a training run's --out directory?)"
          : "checkpoint " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("checkpoint " + file + " is not a regular file (a pipe or a device?); give a "
          + "run directory or a .safetensors file");
    }
    Safetensors.Contents contents = Safetensors.read(file);
    Map<String, String> meta = contents.metadata();
    String where = file.getFileName().toString();
    String format = meta.get("format");
    if (!FORMAT.equals(format)) {
      throw new SafetensorsFormatException(where + ": metadata 'format' is " + quote(format) + ", expected '" + FORMAT
          + "' (not a Tapegrad char-model checkpoint)");
    }
    CellKind cell;
    try {
      cell = CellKind.parse(String.valueOf(meta.get("cell")));
    } catch (IllegalArgumentException e) {
      throw new SafetensorsFormatException(where + ": metadata 'cell' is " + quote(meta.get("cell"))
          + ", expected 'gru', 'lstm' or 'rnn'");
    }
    int hidden = positiveInt(meta, "hidden", where);
    int layers = positiveInt(meta, "layers", where);
    String lowercase = meta.get("lowercase");
    if (!"true".equals(lowercase) && !"false".equals(lowercase)) {
      throw new SafetensorsFormatException(where + ": metadata 'lowercase' must be 'true' or 'false', got "
          + quote(lowercase));
    }
    int[] codePoints = vocabulary(meta.get("vocab"), where);
    CharVocabulary vocab;
    try {
      vocab = CharVocabulary.of(codePoints, Boolean.parseBoolean(lowercase));
    } catch (IllegalArgumentException e) {
      throw new SafetensorsFormatException(where + ": metadata 'vocab': " + e.getMessage(), e);
    }
    long step = 0;
    if (meta.containsKey("step")) {
      try {
        step = Long.parseLong(meta.get("step"));
      } catch (NumberFormatException e) {
        throw new SafetensorsFormatException(where + ": metadata 'step' is not a whole number: " + quote(meta.get("step")));
      }
      if (step < 0) {
        throw new SafetensorsFormatException(where + ": metadata 'step' = " + step + " is negative");
      }
    }

    // The file is checked against the shapes the metadata imply before the model is made, so a file
    // that claims a huge model but holds small tensors is refused without allocating one; its tensor
    // count first, so that not even the list of names is made for a claim of a million layers.
    Map<String, Tensor> tensors = contents.tensors();
    int v = vocab.size();
    String described = " (the metadata describe a " + layers + "-layer " + cell.id() + " model of vocab size " + v
        + ", hidden " + hidden + ")";
    long expected = CharModel.OUTER_TENSORS + (long) CharModel.TENSORS_PER_LAYER * layers;
    if (expected > tensors.size() + MAX_MISSING_LISTED) {
      throw new SafetensorsFormatException(where + ": the file holds " + tensors.size() + " tensors, but a model of "
          + layers + " layer" + (layers == 1 ? "" : "s") + " has " + expected + described);
    }
    try {
      Map<String, Shape> shapes = new LinkedHashMap<>();
      CharModel.parameterShapes(cell, v, hidden, layers).forEach((name, dims) -> shapes.put(name,
          Shape.of(Arrays.stream(dims).mapToInt(Math::toIntExact).toArray())));
      StateDict.check(shapes, tensors, true);
    } catch (IllegalArgumentException | ArithmeticException e) {
      // a name or shape that does not match, or a shape too large to exist
      throw new SafetensorsFormatException(where + ": " + e.getMessage() + described, e);
    }
    tensors.forEach((name, t) -> {
      if (!t.isFinite()) {
        throw new SafetensorsFormatException(where + ": tensor '" + name + "' contains NaN or infinite values");
      }
    });
    CharModel model = CharModel.create(cell, v, hidden, layers, new SplittableRandom(0));
    StateDict.load(model, tensors, true);
    return new Loaded(model, vocab, step, file);
  }

  /**
   * Writes the training state file (atomically).
   *
   * @param file the path of the state file
   * @param model the model whose parameter names key the moments
   * @param state the state to save
   * @param settings the run's settings, as strings, saved in the metadata for resuming
   */
  public static void saveState(Path file, CharModel model, TrainingState state, Map<String, String> settings) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (String name : model.namedParameters().keySet()) {
      tensors.put("adam.m." + name, state.firstMoments().get(name));
      tensors.put("adam.v." + name, state.secondMoments().get(name));
    }
    Map<String, String> meta = new LinkedHashMap<>(settings);
    meta.put("format", STATE_FORMAT);
    meta.put("step", Long.toString(state.step()));
    meta.put("random_state", Long.toString(state.randomState()));
    meta.put("dropout_random_state", Long.toString(state.dropoutRandomState()));
    meta.put("evals_since_best", Integer.toString(state.evalsSinceBest()));
    for (int i = 0; i < state.carried().size(); i++) {
      tensors.put(carriedName(model, i), state.carried().get(i));
    }
    meta.put("elapsed_seconds", Double.toString(state.elapsedSeconds()));
    meta.put("best_val_loss", Double.toString(state.bestValLoss()));
    meta.put("epoch_train_nats", Double.toString(state.epochNats()));
    meta.put("epoch_train_chars", Long.toString(state.epochChars()));
    Safetensors.write(file, tensors, meta);
  }

  /**
   * A loaded training state with the settings saved beside it.
   *
   * @param state the optimizer and sampler state
   * @param settings the run's settings as saved
   * @param file the file read: {@value #STATE_FILE}, or {@value #PREVIOUS_STATE_FILE} after an
   *     interrupted save
   */
  public record LoadedState(TrainingState state, Map<String, String> settings, Path file) {}

  /**
   * Reads a training state and checks that it belongs to {@code model} at {@code modelStep}. When
   * {@code file} is a run's {@value #STATE_FILE} and does not hold that step (a save was
   * interrupted between the state and the model, see {@link #save}), the run's
   * {@value #PREVIOUS_STATE_FILE} is read instead if it does.
   *
   * @param file the state file
   * @param model the model loaded from the same run
   * @param modelStep the step recorded in the model file
   * @return the state and settings
   * @throws SafetensorsFormatException if the file is invalid or belongs to another step or model
   * @throws IllegalArgumentException if there is no state file
   */
  public static LoadedState loadState(Path file, CharModel model, long modelStep) {
    Path previous = file.getFileName().toString().equals(STATE_FILE) ? file.resolveSibling(PREVIOUS_STATE_FILE) : null;
    boolean hasPrevious = previous != null && Files.exists(previous);
    if (!Files.exists(file)) {
      if (hasPrevious) {
        return readState(previous, model, modelStep);
      }
      throw new IllegalArgumentException("no " + STATE_FILE + " beside the model in " + file.getParent()
          + ": the run cannot be resumed (the model can still be sampled)");
    }
    try {
      return readState(file, model, modelStep);
    } catch (SafetensorsFormatException e) {
      if (!hasPrevious) {
        throw e;
      }
      try {
        return readState(previous, model, modelStep);
      } catch (SafetensorsFormatException alsoNot) {
        throw e;
      }
    }
  }

  private static LoadedState readState(Path file, CharModel model, long modelStep) {
    String where = file.getFileName().toString();
    Safetensors.Contents contents = Safetensors.read(file);
    Map<String, String> meta = contents.metadata();
    if (!STATE_FORMAT.equals(meta.get("format"))) {
      throw new SafetensorsFormatException(where + ": metadata 'format' is " + quote(meta.get("format"))
          + ", expected '" + STATE_FORMAT + "'");
    }
    long step = longValue(meta, "step", where);
    if (step != modelStep) {
      throw new SafetensorsFormatException(where + ": training state is from step " + step + " but the model is from step "
          + modelStep + "; refusing to pair them");
    }
    Map<String, Tensor> first = new LinkedHashMap<>();
    Map<String, Tensor> second = new LinkedHashMap<>();
    for (Map.Entry<String, Variable> e : model.namedParameters().entrySet()) {
      first.put(e.getKey(), moment(contents, "adam.m." + e.getKey(), e.getValue().shape(), where));
      Tensor v = moment(contents, "adam.v." + e.getKey(), e.getValue().shape(), where);
      for (float x : v.storage()) {
        if (x < 0) {
          throw new SafetensorsFormatException(where + ": tensor 'adam.v." + e.getKey()
              + "' has negative values, but a second moment is a mean of squares");
        }
      }
      second.put(e.getKey(), v);
    }
    double elapsed;
    double best;
    try {
      elapsed = Double.parseDouble(meta.getOrDefault("elapsed_seconds", "0"));
      best = Double.parseDouble(meta.getOrDefault("best_val_loss", "NaN"));
    } catch (NumberFormatException e) {
      throw new SafetensorsFormatException(where + ": metadata 'elapsed_seconds' or 'best_val_loss' is not a number");
    }
    if (!(elapsed >= 0) || Double.isInfinite(elapsed)) {
      throw new SafetensorsFormatException(where + ": metadata 'elapsed_seconds' = " + elapsed
          + " is not a finite number of seconds");
    }
    if (best < 0 || Double.isInfinite(best)) {
      throw new SafetensorsFormatException(where + ": metadata 'best_val_loss' = " + best
          + " is not a cross-entropy (a finite number of at least 0, or NaN)");
    }
    List<Tensor> carried = new ArrayList<>();
    int perLayer = model.cell().states();
    if (contents.tensors().containsKey(carriedName(model, 0))) {
      for (int i = 0; i < perLayer * model.layers(); i++) {
        Tensor t = contents.tensors().get(carriedName(model, i));
        if (t == null) {
          throw new SafetensorsFormatException(where + ": missing tensor '" + carriedName(model, i) + "'");
        }
        if (t.shape().rank() != 2 || t.shape().dim(1) != model.hidden() || !t.isFinite()) {
          throw new SafetensorsFormatException(where + ": tensor '" + carriedName(model, i) + "' has shape "
              + t.shape() + " or non-finite values; a carried state is N×" + model.hidden() + " and finite");
        }
        carried.add(t);
      }
    }
    // Files from before dropout and patience existed hold neither: no dropout drew from the stream.
    long dropoutState = meta.containsKey("dropout_random_state") ? longValue(meta, "dropout_random_state", where) : 0;
    long sinceBest = meta.containsKey("evals_since_best") ? longValue(meta, "evals_since_best", where) : 0;
    if (sinceBest < 0 || sinceBest > Integer.MAX_VALUE) {
      throw new SafetensorsFormatException(where + ": metadata 'evals_since_best' = " + sinceBest + " is out of range");
    }
    // Files from before the epoch's running sum was kept start the epoch's mean at the resume.
    long epochChars = meta.containsKey("epoch_train_chars") ? longValue(meta, "epoch_train_chars", where) : 0;
    double epochNats;
    try {
      epochNats = Double.parseDouble(meta.getOrDefault("epoch_train_nats", "0"));
    } catch (NumberFormatException e) {
      throw new SafetensorsFormatException(where + ": metadata 'epoch_train_nats' is not a number");
    }
    if (epochChars < 0 || !(epochNats >= 0) || Double.isInfinite(epochNats)) {
      throw new SafetensorsFormatException(where + ": metadata 'epoch_train_nats' = " + epochNats
          + " or 'epoch_train_chars' = " + epochChars + " is not a running sum of losses");
    }
    TrainingState state = new TrainingState(step, longValue(meta, "random_state", where), dropoutState, elapsed,
        best, (int) sinceBest, first, second, carried, epochNats, epochChars);
    return new LoadedState(state, meta, file);
  }

  /**
   * The name of the i-th carried state tensor: {@code carry.h_l0} …, then (LSTM) {@code carry.c_l0} ….
   */
  private static String carriedName(CharModel model, int i) {
    return i < model.layers() ? "carry.h_l" + i : "carry.c_l" + (i - model.layers());
  }

  private static Tensor moment(Safetensors.Contents contents, String name, Shape shape, String where) {
    Tensor t = contents.tensors().get(name);
    if (t == null) {
      throw new SafetensorsFormatException(where + ": missing tensor '" + name + "'");
    }
    if (!t.shape().equals(shape)) {
      throw new SafetensorsFormatException(where + ": tensor '" + name + "' has shape " + t.shape() + ", need " + shape);
    }
    if (!t.isFinite()) {
      throw new SafetensorsFormatException(where + ": tensor '" + name + "' contains NaN or infinite values");
    }
    return t;
  }

  private static int[] vocabulary(String json, String where) {
    if (json == null) {
      throw new SafetensorsFormatException(where + ": metadata 'vocab' is missing");
    }
    if (json.length() > MAX_VOCAB_JSON_CHARS) {
      throw new SafetensorsFormatException(where + ": metadata 'vocab' is " + json.length()
          + " characters long, more than a list of every Unicode code point needs");
    }
    Object parsed;
    try {
      parsed = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new SafetensorsFormatException(where + ": metadata 'vocab' is not JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof List<?> list) || list.isEmpty()) {
      throw new SafetensorsFormatException(where + ": metadata 'vocab' must be a non-empty JSON array of code points");
    }
    int[] codePoints = new int[list.size()];
    for (int i = 0; i < codePoints.length; i++) {
      if (!(list.get(i) instanceof Long l) || l < 0 || l > Character.MAX_CODE_POINT) {
        throw new SafetensorsFormatException(where + ": metadata 'vocab' entry " + i + " is not a Unicode code point");
      }
      codePoints[i] = (int) (long) l;
    }
    return codePoints;
  }

  private static int positiveInt(Map<String, String> meta, String key, String where) {
    long v = longValue(meta, key, where);
    if (v < 1 || v > 1 << 20) {
      throw new SafetensorsFormatException(where + ": metadata '" + key + "' = " + v + " is out of range");
    }
    return (int) v;
  }

  private static long longValue(Map<String, String> meta, String key, String where) {
    String s = meta.get(key);
    if (s == null) {
      throw new SafetensorsFormatException(where + ": metadata '" + key + "' is missing");
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new SafetensorsFormatException(where + ": metadata '" + key + "' is not a whole number: " + quote(s));
    }
  }

  private static String quote(String s) {
    return s == null ? "missing" : Json.write(s.length() > 60 ? s.substring(0, 60) + "…" : s);
  }
}
