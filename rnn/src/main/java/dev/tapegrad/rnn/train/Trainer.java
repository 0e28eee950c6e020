package dev.tapegrad.rnn.train;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.State;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.AdamW;
import dev.tapegrad.optim.GradClip;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.SplitMix64;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import dev.tapegrad.tensor.Tensor;
import dev.tapegrad.tensor.TensorArena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a {@link CharModel} as the notebook did, with the knobs a longer run needs.
 *
 * <p>One step: take a batch of chunks of the training text ({@link TrainingBatches}: random chunks
 * that start from a zero state, as the notebook did, or with {@code stateful} each batch row
 * walking its own stretch of the text and carrying its state from chunk to chunk); feed each
 * chunk's characters and predict the next ones (the targets are the inputs shifted by one); the
 * loss is the mean cross-entropy over all the step's predictions; back-propagation through time
 * runs backward through the chunk and stops at its start; the global gradient norm is clipped;
 * Adam (with decoupled weight decay, if any) steps at the rate the {@link LearningRateSchedule}
 * gives.
 *
 * <p>Every {@code evalEvery} steps and at each epoch's end the trainer measures the validation loss
 * (state carried through the held-out text, see {@link Evaluator}), keeps the best one and tells
 * the listener, which saves the best model; after {@code patience} measurements without a new best
 * the run stops early. At each epoch's end it also draws a short sample, as {@code rnn.jar sample}
 * would from the model then (see {@link Sampler#defaultPrime}). The run stops at
 * the first bound reached: epochs, steps or minutes, patience, or {@link #requestStop()}.
 *
 * <p>A step whose loss or global gradient norm is NaN or infinite ends the run with a
 * {@link TrainingDivergedException} before Adam updates anything, so the weights and moments stay
 * those of the last good step.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.create(model, vocab, train, validation, config);
 * trainer.run(listener);
 * }</pre>
 */
public final class Trainer {

  /** Receives progress; every method is optional. */
  public interface Listener {
    /** Called after every step. */
    default void onStep(StepReport report) {}

    /** Called after every validation measurement, before {@link #onEpoch} at an epoch's end. */
    default void onValidation(ValidationReport report) {}

    /** Called at every epoch's end and once at the end of the run, after the model is updated. */
    default void onEpoch(EpochReport report) {}
  }

  /**
   * Validation during training walks the held-out text as up to this many contiguous streams side
   * by side (see {@link Evaluator#evaluate(CharModel, EncodedText, int, int)}), each at least
   * {@link #VALIDATION_STREAM_CHARS} long: several times faster than one stream, for a few extra
   * cold starts. {@code rnn eval} walks the text as one stream.
   */
  static final int VALIDATION_STREAMS = 16;
  /** The shortest stretch a validation stream walks, so that cold starts stay a negligible share. */
  static final int VALIDATION_STREAM_CHARS = 5000;

  /** Seeds the dropout generator apart from the chunk sampler, so dropout does not move the chunks. */
  private static final long DROPOUT_STREAM = 0x6A09E667F3BCC909L;

  private final CharModel model;
  private final CharVocabulary vocab;
  private final EncodedText train;
  private final EncodedText validation;
  private final TrainConfig config;
  private final Adam adam;
  private final List<Variable> params;
  private final TrainingBatches batches;
  /** The storage of one step's values and gradients, reused by the next. */
  private final TensorArena arena = new TensorArena();
  private SplitMix64 random;
  private SplitMix64 dropoutRandom;
  private long step;
  private double elapsedBefore;
  private double bestValLoss = Double.NaN;
  private int evalsSinceBest;
  /** The current epoch's summed loss and characters so far, for its mean (kept across a resume). */
  private double epochNats;
  private long epochChars;
  private List<State> carried;
  private boolean stoppedEarly;
  private volatile boolean stopRequested;

  private Trainer(CharModel model, CharVocabulary vocab, EncodedText train, EncodedText validation,
      TrainConfig config) {
    if (model.vocab() != vocab.size()) {
      throw new IllegalArgumentException(
          "model has " + model.vocab() + " outputs but the vocabulary has " + vocab.size() + " characters");
    }
    this.model = model;
    this.vocab = vocab;
    this.train = train;
    this.validation = validation;
    this.config = config;
    this.params = model.parameters();
    // Adam with decoupled weight decay (AdamW) at PyTorch's betas and eps
    this.adam = AdamW.builder().lr(config.learningRate()).weightDecay(config.weightDecay())
        .build(model.namedParameters());
    this.batches = config.stateful() ? new TrainingBatches.Stateful(train, config.seq(), config.batch())
        : new TrainingBatches.Random(train, config.seq(), config.batch());
    this.random = new SplitMix64(config.seed());
    this.dropoutRandom = new SplitMix64(config.seed() ^ DROPOUT_STREAM);
  }

  /**
   * Returns a trainer at step 0.
   *
   * @param model the model to train (updated in place)
   * @param vocab its vocabulary
   * @param train the training text
   * @param validation the held-out text (may be shorter than 2 characters: then no validation)
   * @param config the run's settings
   * @return the trainer
   * @throws IllegalArgumentException if the training text is too short for the settings
   */
  public static Trainer create(CharModel model, CharVocabulary vocab, EncodedText train, EncodedText validation,
      TrainConfig config) {
    return new Trainer(model, vocab, train, validation, config);
  }

  /**
   * Continues a saved run: the optimizer moments, step count, random states, elapsed time,
   * validation record and carried state are restored, so the run goes on as if never stopped.
   *
   * @param model the model holding the saved weights
   * @param vocab its vocabulary
   * @param train the training text
   * @param validation the held-out text
   * @param config the settings (bounds may differ from the original run's)
   * @param state the saved training state
   * @return the trainer
   * @throws IllegalArgumentException if the carried state does not fit the model and batch
   */
  public static Trainer resume(CharModel model, CharVocabulary vocab, EncodedText train, EncodedText validation,
      TrainConfig config, TrainingState state) {
    Trainer t = new Trainer(model, vocab, train, validation, config);
    t.adam.restore(state.step(), state.firstMoments(), state.secondMoments());
    t.step = state.step();
    t.random = new SplitMix64(state.randomState());
    t.dropoutRandom = new SplitMix64(state.dropoutRandomState());
    t.elapsedBefore = state.elapsedSeconds();
    t.bestValLoss = state.bestValLoss();
    t.evalsSinceBest = state.evalsSinceBest();
    t.epochNats = state.epochNats();
    t.epochChars = state.epochChars();
    t.carried = t.unpackCarried(state.carried());
    t.stoppedEarly = config.patience() > 0 && t.evalsSinceBest >= config.patience();
    return t;
  }

  /**
   * Asks the run to stop after the current step (safe to call from another thread, for example a
   * signal handler). The final report of a stopped run skips the validation loss and the sample, so
   * that the stop is quick even with a large validation text.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Returns the number of steps in one epoch. */
  public long stepsPerEpoch() {
    return batches.stepsPerEpoch();
  }

  /** Returns the steps taken so far in the whole run. */
  public long step() {
    return step;
  }

  /** {@return the characters trained on so far in the whole run} */
  public long chars() {
    return chars(step);
  }

  /** Returns the completed epochs. */
  public int epoch() {
    return (int) (step / stepsPerEpoch());
  }

  /** How many streams validation walks: one per {@link #VALIDATION_STREAM_CHARS}, at most 16, at least 1. */
  private int validationStreams() {
    return Math.max(1, Math.min(VALIDATION_STREAMS, (validation.length() - 1) / VALIDATION_STREAM_CHARS));
  }

  /** Returns the characters trained on in the run's first {@code steps} steps. */
  private long chars(long steps) {
    return steps / stepsPerEpoch() * batches.charsBefore(stepsPerEpoch()) + batches.charsBefore(steps % stepsPerEpoch());
  }

  /**
   * Says which bound a run already reached before any step of this session, for example
   * {@code --steps 200}: a resumed run that would take no step at all.
   *
   * @return the bound reached, as its flag and value, or empty if the run can go on
   */
  public Optional<String> boundReached() {
    if (stoppedEarly) {
      return Optional.of("--patience " + config.patience());
    }
    if (config.steps() > 0 && step >= config.steps()) {
      return Optional.of("--steps " + config.steps());
    }
    if (config.epochs() > 0 && step >= config.epochs() * stepsPerEpoch()) {
      return Optional.of("--epochs " + config.epochs());
    }
    if (config.minutes() > 0 && elapsedBefore >= config.minutes() * 60) {
      return Optional.of("--minutes " + config.minutes());
    }
    return Optional.empty();
  }

  /** {@return the epoch of the last step taken, from 1, as the progress line and the metrics count it (0 before any)} */
  public int lastEpoch() {
    return epochOf(step);
  }

  /** {@return the wall time of the run before this session, in seconds} */
  public double elapsedBefore() {
    return elapsedBefore;
  }

  /** Returns whether the run ended because validation stopped improving ({@code patience}). */
  public boolean stoppedEarly() {
    return stoppedEarly;
  }

  /**
   * Returns everything needed to resume, as of now.
   *
   * @param elapsedSeconds the run's wall time so far
   * @return the state
   */
  public TrainingState state(double elapsedSeconds) {
    Map<String, Tensor> first = new LinkedHashMap<>();
    Map<String, Tensor> second = new LinkedHashMap<>();
    for (String name : adam.namedParameters().keySet()) {
      first.put(name, adam.firstMoment(name).copy());
      second.put(name, adam.secondMoment(name).copy());
    }
    List<Tensor> carry = new ArrayList<>();
    if (carried != null) {
      carried.forEach(layer -> carry.add(layer.h().value().copy()));
      carried.stream().filter(layer -> layer.c() != null).forEach(layer -> carry.add(layer.c().value().copy()));
    }
    return new TrainingState(step, random.state(), dropoutRandom.state(), elapsedSeconds, bestValLoss,
        evalsSinceBest, first, second, carry, epochNats, epochChars);
  }

  /**
   * Trains until a bound is reached.
   *
   * @param listener receives progress
   * @return the final report (also sent to the listener)
   * @throws TrainingDivergedException if a step's loss or gradient norm is NaN or infinite (the
   *     step is not taken) or its update made a weight so
   */
  public EpochReport run(Listener listener) {
    long startNanos = System.nanoTime();
    long sessionChars = 0;
    EpochReport last = null;
    double lastValLoss = Double.NaN;
    double lastRate = Double.NaN;
    while (!shouldStop(seconds(startNanos))) {
      double rate = config.learningRate()
          * config.schedule().factor(step, fractionDone(seconds(startNanos)));
      adam.setLearningRate((float) rate);
      lastRate = rate;
      // The draw happens here, so that a diverged step can put the sampler back before it.
      long randomBefore = random.state();
      TrainingBatches.Batch batch = batches.next(step % stepsPerEpoch(), random);
      double loss = trainStep(batch, randomBefore);
      step++;
      sessionChars += batch.chars();
      epochNats += loss * batch.chars();
      epochChars += batch.chars();
      double elapsed = seconds(startNanos);
      double speed = sessionChars / Math.max(elapsed, 1e-9);
      boolean epochEnd = step % stepsPerEpoch() == 0;
      listener.onStep(new StepReport(step, epochOf(step), loss, chars(step), elapsedBefore + elapsed,
          speed, fractionDone(elapsed), rate));
      boolean evalDue = config.evalEvery() > 0 && step % config.evalEvery() == 0;
      if ((evalDue || epochEnd) && validation.length() >= 2) {
        lastValLoss = validate(listener, elapsedBefore + seconds(startNanos));
      }
      if (epochEnd) {
        last = epochReport(epochNats / epochChars, lastValLoss, rate, speed, elapsedBefore + seconds(startNanos),
            false);
        // Before the listener saves the state: the next epoch starts from nothing.
        epochNats = 0;
        epochChars = 0;
        listener.onEpoch(last);
      }
    }
    double elapsed = seconds(startNanos);
    double speed = sessionChars / Math.max(elapsed, 1e-9);
    EpochReport end;
    if (last != null && epochChars == 0) {
      end = new EpochReport(last.epoch(), last.step(), last.chars(), last.trainLoss(), last.valLoss(), lastRate, speed,
          elapsedBefore + elapsed, last.sample(), true);
    } else {
      double trainLoss = epochChars > 0 ? epochNats / epochChars : Double.NaN;
      boolean quick = stopRequested || stoppedEarly;
      double valLoss = quick || validation.length() < 2 ? lastValLoss
          : Evaluator.evaluate(model, validation, Evaluator.DEFAULT_CHUNK, validationStreams()).natsPerChar();
      end = epochReport(trainLoss, valLoss, lastRate, speed, elapsedBefore + elapsed, true);
    }
    listener.onEpoch(end);
    return end;
  }

  /**
   * Measures the validation loss, updates the best one and the patience count, and tells the
   * listener.
   */
  private double validate(Listener listener, double elapsed) {
    double valLoss = Evaluator.evaluate(model, validation, Evaluator.DEFAULT_CHUNK, validationStreams()).natsPerChar();
    boolean improved = Double.isNaN(bestValLoss) || valLoss < bestValLoss;
    if (improved) {
      bestValLoss = valLoss;
      evalsSinceBest = 0;
    } else {
      evalsSinceBest++;
    }
    if (config.patience() > 0 && evalsSinceBest >= config.patience()) {
      stoppedEarly = true;
    }
    listener.onValidation(new ValidationReport(step, chars(step), valLoss, improved, bestValLoss, evalsSinceBest,
        elapsed));
    return valLoss;
  }

  /**
   * One optimisation step on one batch; returns its loss.
   *
   * @param batch the step's data
   * @param randomBefore the chunk sampler's state before this batch was drawn, restored if the step
   *     diverges
   *
   * @throws TrainingDivergedException if the loss or the gradient norm is not finite (checked
   *     before the update, which is then skipped) or if the update made a weight non-finite
   */
  private double trainStep(TrainingBatches.Batch batch, long randomBefore) {
    long dropoutBefore = dropoutRandom.state();
    adam.zeroGrad();
    Tape tape = new Tape(arena);
    List<State> initial = batch.carryRows() == 0 ? null
        : carried.stream().map(layer -> layer.firstRows(batch.carryRows())).toList();
    CharModel.Forward f = model.forward(tape, batch.inputs(), batch.rows(), batch.length(), initial,
        Implementation.FUSED, config.dropout(), dropoutRandom);
    Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), batch.targets());
    tape.backward(loss);
    double lossValue = loss.value().item();
    double norm = GradClip.clipGlobalNorm(params, config.clip());
    long thisStep = step + 1;
    if (!Double.isFinite(lossValue) || !Double.isFinite(norm)) {
      // Undo the draws too, so that state() still describes the last good step.
      random = new SplitMix64(randomBefore);
      dropoutRandom = new SplitMix64(dropoutBefore);
      throw new TrainingDivergedException(thisStep, "training diverged at step " + thisStep + ": the loss is "
          + lossValue + " and the gradient norm " + norm + "; stopped before the update, so the weights are those of "
          + "step " + step);
    }
    adam.step();
    for (Map.Entry<String, Variable> e : model.namedParameters().entrySet()) {
      if (!e.getValue().value().isFinite()) {
        throw new TrainingDivergedException(thisStep, "training diverged at step " + thisStep + ": the update made '"
            + e.getKey() + "' NaN or infinite (loss " + lossValue + ", gradient norm " + norm + ")");
      }
    }
    // Truncated back-propagation through time: the next chunk starts from these values, but its
    // gradient stops here.
    carried = batch.carryOut() ? f.state().stream().map(State::detach).toList() : null;
    return lossValue;
  }

  /** Rebuilds a saved carried state, checking it fits this model and batch. */
  private List<State> unpackCarried(List<Tensor> saved) {
    if (saved.isEmpty()) {
      return null;
    }
    int perLayer = model.cell().states();
    if (!config.stateful() || saved.size() != perLayer * model.layers()) {
      throw new IllegalArgumentException("the saved run carries " + saved.size() + " state tensors, which does not fit"
          + (config.stateful() ? " a " + model.layers() + "-layer " + model.cell().id() + " model" : " random chunks"
          + " (it was saved with --stateful)"));
    }
    List<Variable> values = new ArrayList<>();
    for (int i = 0; i < saved.size(); i++) {
      Tensor t = saved.get(i);
      if (t.shape().rank() != 2 || t.shape().dim(0) != config.batch() || t.shape().dim(1) != model.hidden()) {
        throw new IllegalArgumentException("the saved run's carried state has shape " + t.shape() + ", but --batch "
            + config.batch() + " and --hidden " + model.hidden() + " need [" + config.batch() + ", " + model.hidden()
            + "]");
      }
      values.add(Variable.constant(t.copy()));
    }
    // saved as every layer's h, then (LSTM) every layer's c
    List<State> states = new ArrayList<>();
    for (int k = 0; k < model.layers(); k++) {
      states.add(new State(values.get(k), perLayer == 2 ? values.get(model.layers() + k) : null));
    }
    return states;
  }

  /**
   * Builds an epoch report, with a sample unless the run was stopped: the text {@code rnn.jar
   * sample --length N} writes from the model as it is now (its default prime, temperature and seed),
   * so that what training shows is what sampling gives. It draws from a generator of its own, so
   * the run's random states do not move.
   */
  private EpochReport epochReport(double trainLoss, double valLoss, double rate, double speed, double elapsed,
      boolean endOfRun) {
    String sample = "";
    if (config.sampleLength() > 0 && !(endOfRun && (stopRequested || stoppedEarly))) {
      String prime = Sampler.defaultPrime(vocab);
      sample = prime + new Sampler(model, vocab).sample(prime, config.sampleLength(), Sampler.Options.defaults());
    }
    return new EpochReport(epochOf(step), step, chars(step), trainLoss, valLoss, rate, speed, elapsed, sample,
        endOfRun);
  }

  /** The epoch a step belongs to, from 1: the one the progress line shows (0 before the first step). */
  private int epochOf(long steps) {
    return (int) ((steps + stepsPerEpoch() - 1) / stepsPerEpoch());
  }

  private boolean shouldStop(double elapsedSeconds) {
    return stopRequested
        || stoppedEarly
        || (config.steps() > 0 && step >= config.steps())
        || (config.epochs() > 0 && step >= config.epochs() * stepsPerEpoch())
        || (config.minutes() > 0 && elapsedBefore + elapsedSeconds >= config.minutes() * 60);
  }

  /** How far the run is towards whichever bound it will reach first, in [0, 1]. */
  private double fractionDone(double elapsedSeconds) {
    double fraction = 0;
    if (config.steps() > 0) {
      fraction = Math.max(fraction, (double) step / config.steps());
    }
    if (config.epochs() > 0) {
      fraction = Math.max(fraction, (double) step / (config.epochs() * stepsPerEpoch()));
    }
    if (config.minutes() > 0) {
      fraction = Math.max(fraction, (elapsedBefore + elapsedSeconds) / (config.minutes() * 60));
    }
    return Math.min(1, fraction);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
