package dev.tapegrad.rnn.train;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A tiny training run for tests, made from a text and a few settings: the text's vocabulary, its
 * train/validation split, a freshly initialised model, the {@link Trainer}, and every report the
 * trainer gives.
 *
 * <pre>{@code
 * TinyRun run = TinyRun.of("abc".repeat(6)).valFraction(0).steps(3);
 * EpochReport end = run.train();
 * assertEquals(3, run.steps().size());
 * }</pre>
 *
 * <p>Settings not given are {@link TrainConfig#builder()}'s, except that a tiny run is a GRU of
 * hidden 4 over chunks of 5 in batches of 2, with learning rate 0.01, seed 1, no sample and no
 * epoch bound (so give {@link #steps} or {@link #epochs}). The vocabulary is the text's characters,
 * not lower-cased; the held-out part is the config's {@code valFraction} of the text, unless
 * {@link #validatedOn} gives a text of its own. The model's initial weights are drawn from
 * {@code new SplittableRandom(modelSeed)}, model seed 1 unless {@link #modelSeed} says otherwise.
 *
 * <p>The model and the trainer are made by the first call of {@link #trainer()}, {@link #model()}
 * or {@link #train()}; the settings are fixed from then on.
 */
public final class TinyRun {

  private final String text;
  private final CharVocabulary vocab;
  private final TrainConfig.Builder settings;
  private final TrainingState resumeFrom;
  private String validation;
  private long modelSeed = 1;
  private CharModel model;
  private Trainer trainer;
  private final Map<Long, Runnable> actions = new HashMap<>();
  private final List<StepReport> steps = new ArrayList<>();
  private final List<ValidationReport> validations = new ArrayList<>();
  private final List<EpochReport> epochs = new ArrayList<>();

  private TinyRun(String text, TrainConfig.Builder settings, CharModel model, TrainingState resumeFrom) {
    this.text = text;
    this.vocab = CharVocabulary.fromText(text, false);
    this.settings = settings;
    this.model = model;
    this.resumeFrom = resumeFrom;
  }

  /** {@return a tiny run that trains on {@code text}, with the settings in the class comment} */
  public static TinyRun of(String text) {
    return new TinyRun(text,
        TrainConfig.builder().hidden(4).seq(5).batch(2).learningRate(0.01f).epochs(0).seed(1).sampleLength(0), null,
        null);
  }

  /**
   * Returns a run with this run's settings that goes on from {@code state} with this run's model,
   * through {@link Trainer#resume}; its bounds can still be changed, as in {@code resume(s).steps(8)}.
   */
  public TinyRun resume(TrainingState state) {
    TinyRun next = new TinyRun(text, config().toBuilder(), model(), state);
    next.validation = validation;
    return next;
  }

  // Settings: each sets the TrainConfig component of its name (cell, hidden and layers also size the model).

  public TinyRun cell(CellKind v) {
    return set(b -> b.cell(v));
  }

  public TinyRun hidden(int v) {
    return set(b -> b.hidden(v));
  }

  public TinyRun layers(int v) {
    return set(b -> b.layers(v));
  }

  public TinyRun dropout(float v) {
    return set(b -> b.dropout(v));
  }

  public TinyRun seq(int v) {
    return set(b -> b.seq(v));
  }

  public TinyRun batch(int v) {
    return set(b -> b.batch(v));
  }

  public TinyRun learningRate(float v) {
    return set(b -> b.learningRate(v));
  }

  public TinyRun schedule(LearningRateSchedule v) {
    return set(b -> b.schedule(v));
  }

  public TinyRun weightDecay(float v) {
    return set(b -> b.weightDecay(v));
  }

  public TinyRun clip(double v) {
    return set(b -> b.clip(v));
  }

  public TinyRun stateful(boolean v) {
    return set(b -> b.stateful(v));
  }

  public TinyRun epochs(int v) {
    return set(b -> b.epochs(v));
  }

  public TinyRun steps(long v) {
    return set(b -> b.steps(v));
  }

  public TinyRun evalEvery(long v) {
    return set(b -> b.evalEvery(v));
  }

  public TinyRun patience(int v) {
    return set(b -> b.patience(v));
  }

  public TinyRun seed(long v) {
    return set(b -> b.seed(v));
  }

  public TinyRun valFraction(double v) {
    return set(b -> b.valFraction(v));
  }

  public TinyRun sampleLength(int v) {
    return set(b -> b.sampleLength(v));
  }

  /** Seeds the model's initial weights, apart from the config's seed (which draws the chunks). */
  public TinyRun modelSeed(long v) {
    requireNoTrainer();
    modelSeed = v;
    return this;
  }

  /** Validates on {@code heldOut} (in the training text's vocabulary) instead of a part of the training text. */
  public TinyRun validatedOn(String heldOut) {
    requireNoTrainer();
    validation = heldOut;
    return this;
  }

  /** Runs {@code action} right after step {@code step} is taken and its report recorded. */
  public TinyRun atStep(long step, Runnable action) {
    actions.put(step, action);
    return this;
  }

  /** Calls {@link Trainer#requestStop()} from the report of step {@code step}, as a signal handler would. */
  public TinyRun stopAt(long step) {
    return atStep(step, () -> trainer.requestStop());
  }

  /** {@return the run's settings} */
  public TrainConfig config() {
    return settings.build();
  }

  /** {@return the vocabulary of the training text} */
  public CharVocabulary vocab() {
    return vocab;
  }

  /**
   * {@return the text split into the part the run trains on and the held-out part (empty when
   * nothing is held out)}
   */
  public EncodedText.Split texts() {
    EncodedText all = EncodedText.encode(vocab, text);
    return validation == null ? all.trainValidationSplit(config().valFraction())
        : new EncodedText.Split(all, EncodedText.encode(vocab, validation));
  }

  /**
   * {@return the trainer, made (with the model) at the first call}
   *
   * @throws IllegalArgumentException as {@link Trainer#create} does
   */
  public Trainer trainer() {
    if (trainer == null) {
      TrainConfig config = config();
      EncodedText.Split texts = texts();
      if (model == null) {
        model = CharModel.create(config.cell(), vocab.size(), config.hidden(), config.layers(),
            new SplittableRandom(modelSeed));
      }
      trainer = resumeFrom == null
          ? Trainer.create(model, vocab, texts.train(), texts.validation(), config)
          : Trainer.resume(model, vocab, texts.train(), texts.validation(), config, resumeFrom);
    }
    return trainer;
  }

  /** {@return the model the run trains (a resumed run shares its predecessor's)} */
  public CharModel model() {
    trainer();
    return model;
  }

  /** Runs the trainer, recording every report, and returns the end-of-run report. */
  public EpochReport train() {
    return trainer().run(new Trainer.Listener() {
      @Override
      public void onStep(StepReport report) {
        steps.add(report);
        actions.getOrDefault(report.step(), () -> {}).run();
      }

      @Override
      public void onValidation(ValidationReport report) {
        validations.add(report);
      }

      @Override
      public void onEpoch(EpochReport report) {
        epochs.add(report);
      }
    });
  }

  /** {@return the trainer's state, with an elapsed time of 0} */
  public TrainingState state() {
    return trainer().state(0);
  }

  /** {@return the reports of the steps taken, in order} */
  public List<StepReport> steps() {
    return Collections.unmodifiableList(steps);
  }

  /** {@return the reports of the validation measurements, in order} */
  public List<ValidationReport> validations() {
    return Collections.unmodifiableList(validations);
  }

  /** {@return the epoch reports, in order, the end-of-run report last} */
  public List<EpochReport> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** {@return every weight of the model, in state_dict order} */
  public float[] weights() {
    return flatten(model());
  }

  /** {@return every parameter value of {@code model}, in state_dict order} */
  public static float[] flatten(CharModel model) {
    float[] all = new float[(int) model.parameterCount()];
    int at = 0;
    for (Variable v : model.namedParameters().values()) {
      float[] data = v.value().storage();
      System.arraycopy(data, 0, all, at, data.length);
      at += data.length;
    }
    return all;
  }

  private TinyRun set(Consumer<TrainConfig.Builder> setting) {
    requireNoTrainer();
    setting.accept(settings);
    return this;
  }

  private void requireNoTrainer() {
    if (trainer != null) {
      throw new IllegalStateException("the trainer is made, so the settings are fixed");
    }
  }
}
