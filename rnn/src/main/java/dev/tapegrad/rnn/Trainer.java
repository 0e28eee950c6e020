package dev.tapegrad.rnn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Gru;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.GradClip;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link CharModel} as the notebook did, with the knobs a longer run needs.
 *
 * <p>One step: draw {@code batch} random chunks of {@code seq + 1} characters from the training
 * text; feed characters 0 … seq−1 and predict 1 … seq (the targets are the inputs shifted by
 * one); the loss is the mean cross-entropy over all seq·batch predictions; back-propagation
 * through time runs backward through the whole chunk; the global gradient norm is clipped; Adam
 * steps. Every chunk starts from a zero hidden state.
 *
 * <p>An epoch is {@code ceil(trainChars / (seq · batch))} steps, about one pass over the text. At
 * each epoch's end the trainer measures the validation loss (hidden state carried through the
 * held-out text, see {@link Evaluator}) and a short greedy sample, and tells the listener, which
 * prints and saves. The run stops at the first bound reached: epochs, steps or minutes, or
 * {@link #requestStop()}.
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

  /**
   * Progress after a step.
   *
   * @param step steps taken in the whole run
   * @param epoch the epoch in progress, from 1
   * @param loss this step's loss, nats per character
   * @param chars characters trained on in the whole run
   * @param elapsedSeconds wall time of the whole run (resumed runs include earlier sessions)
   * @param charsPerSecond training speed in this session
   * @param fractionDone how far the run is towards its nearest bound, in [0, 1]
   */
  public record StepReport(long step, int epoch, double loss, long chars, double elapsedSeconds, double charsPerSecond,
      double fractionDone) {}

  /**
   * A finished epoch, or the end of the run (when {@code endOfRun} is true).
   *
   * @param epoch epochs completed
   * @param step steps taken in the whole run
   * @param chars characters trained on in the whole run
   * @param trainLoss mean training loss over this epoch's steps, nats per character
   * @param valLoss validation loss, nats per character (NaN when nothing is held out)
   * @param charsPerSecond training speed in this session
   * @param elapsedSeconds wall time of the whole run
   * @param sample a short greedy sample
   * @param endOfRun whether this is the final record of the run
   */
  public record EpochReport(int epoch, long step, long chars, double trainLoss, double valLoss, double charsPerSecond,
      double elapsedSeconds, String sample, boolean endOfRun) {}

  /** Receives progress; both methods are optional. */
  public interface Listener {
    /** Called after every step. */
    default void onStep(StepReport report) {}

    /** Called at every epoch's end and once at the end of the run, after the model is updated. */
    default void onEpoch(EpochReport report) {}
  }

  private final CharModel model;
  private final CharVocabulary vocab;
  private final EncodedText train;
  private final EncodedText validation;
  private final TrainConfig config;
  private final Adam adam;
  private final List<Variable> params;
  private final long stepsPerEpoch;
  private SplitMix64 random;
  private long step;
  private double elapsedBefore;
  private double bestValLoss = Double.NaN;
  private volatile boolean stopRequested;

  private Trainer(CharModel model, CharVocabulary vocab, EncodedText train, EncodedText validation,
      TrainConfig config) {
    if (model.vocab() != vocab.size()) {
      throw new IllegalArgumentException(
          "model has " + model.vocab() + " outputs but the vocabulary has " + vocab.size() + " characters");
    }
    if (train.length() < config.seq() + 1) {
      throw new IllegalArgumentException("the training text has " + train.length() + " characters; --seq "
          + config.seq() + " needs at least " + (config.seq() + 1) + " (use a longer text or a smaller --seq)");
    }
    this.model = model;
    this.vocab = vocab;
    this.train = train;
    this.validation = validation;
    this.config = config;
    this.params = model.parameters();
    this.adam = Adam.create(params, config.learningRate());
    long charsPerStep = (long) config.seq() * config.batch();
    this.stepsPerEpoch = Math.max(1, (train.length() + charsPerStep - 1) / charsPerStep);
    this.random = new SplitMix64(config.seed());
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
   */
  public static Trainer create(CharModel model, CharVocabulary vocab, EncodedText train, EncodedText validation,
      TrainConfig config) {
    return new Trainer(model, vocab, train, validation, config);
  }

  /**
   * Continues a saved run: the optimizer moments, step count, random state, elapsed time and best
   * validation loss are restored, so the run goes on as if never stopped.
   *
   * @param model the model holding the saved weights
   * @param vocab its vocabulary
   * @param train the training text
   * @param validation the held-out text
   * @param config the settings (bounds may differ from the original run's)
   * @param state the saved training state
   * @return the trainer
   */
  public static Trainer resume(CharModel model, CharVocabulary vocab, EncodedText train, EncodedText validation,
      TrainConfig config, TrainingState state) {
    Trainer t = new Trainer(model, vocab, train, validation, config);
    t.adam.restore(state.step(), state.firstMoments(), state.secondMoments());
    t.step = state.step();
    t.random = new SplitMix64(state.randomState());
    t.elapsedBefore = state.elapsedSeconds();
    t.bestValLoss = state.bestValLoss();
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
    return stepsPerEpoch;
  }

  /** Returns the steps taken so far in the whole run. */
  public long step() {
    return step;
  }

  /** Returns the completed epochs. */
  public int epoch() {
    return (int) (step / stepsPerEpoch);
  }

  /** Returns everything needed to resume, as of now. */
  public TrainingState state(double elapsedSeconds) {
    List<Tensor> first = new ArrayList<>();
    List<Tensor> second = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      first.add(adam.firstMoment(i).copy());
      second.add(adam.secondMoment(i).copy());
    }
    return new TrainingState(step, random.state(), elapsedSeconds, bestValLoss, first, second);
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
    double epochLossSum = 0;
    int epochSteps = 0;
    int charsPerStep = config.seq() * config.batch();
    EpochReport last = null;
    while (!shouldStop(seconds(startNanos))) {
      double loss = trainStep();
      step++;
      sessionChars += charsPerStep;
      epochLossSum += loss;
      epochSteps++;
      double elapsed = seconds(startNanos);
      double speed = sessionChars / Math.max(elapsed, 1e-9);
      listener.onStep(new StepReport(step, epoch() + (step % stepsPerEpoch == 0 ? 0 : 1), loss, step * charsPerStep,
          elapsedBefore + elapsed, speed, fractionDone(elapsed)));
      if (step % stepsPerEpoch == 0) {
        last = epochReport(epochLossSum / epochSteps, speed, elapsedBefore + seconds(startNanos), false);
        listener.onEpoch(last);
        epochLossSum = 0;
        epochSteps = 0;
      }
    }
    double elapsed = seconds(startNanos);
    double speed = sessionChars / Math.max(elapsed, 1e-9);
    double trainLoss = epochSteps > 0 ? epochLossSum / epochSteps : last != null ? last.trainLoss() : Double.NaN;
    EpochReport end = last != null && epochSteps == 0
        ? new EpochReport(last.epoch(), last.step(), last.chars(), last.trainLoss(), last.valLoss(), speed,
            elapsedBefore + elapsed, last.sample(), true)
        : epochReport(trainLoss, speed, elapsedBefore + elapsed, true);
    listener.onEpoch(end);
    return end;
  }

  /**
   * One optimisation step on a fresh batch of random chunks; returns its loss.
   *
   * @throws TrainingDivergedException if the loss or the gradient norm is not finite (checked
   *     before the update, which is then skipped) or if the update made a weight non-finite
   */
  private double trainStep() {
    int seq = config.seq();
    int batch = config.batch();
    long randomBefore = random.state();
    int[] inputs = new int[batch * seq];
    int[] targets = new int[batch * seq];
    for (int b = 0; b < batch; b++) {
      chunk(train, random.nextInt(train.length() - seq), seq, inputs, targets, b * seq);
    }
    adam.zeroGrad();
    Tape tape = new Tape();
    CharModel.Forward f = model.forward(tape, inputs, batch, seq, null, Gru.Implementation.FUSED);
    Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
    tape.backward(loss);
    double lossValue = loss.value().item();
    double norm = GradClip.clipGlobalNorm(params, config.clip());
    long thisStep = step + 1;
    if (!Double.isFinite(lossValue) || !Double.isFinite(norm)) {
      // Undo the draw too, so that state() still describes the last good step.
      random = new SplitMix64(randomBefore);
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
    return lossValue;
  }

  /**
   * Copies one training chunk: {@code seq + 1} characters from {@code start}, of which the first
   * seq are inputs and the last seq, shifted by one, are the targets each input should predict.
   *
   * @param text the text
   * @param start the chunk's first position, at most {@code text.length() − seq − 1}
   * @param seq the chunk length
   * @param inputs receives text[start … start+seq−1] at {@code offset}
   * @param targets receives text[start+1 … start+seq] at {@code offset}
   * @param offset where to write in both arrays
   */
  static void chunk(EncodedText text, int start, int seq, int[] inputs, int[] targets, int offset) {
    text.copyIds(start, inputs, offset, seq);
    text.copyIds(start + 1, targets, offset, seq);
  }

  /**
   * Measures the validation loss and a sample, except at the end of a stopped run. Only an
   * epoch's end updates the best validation loss: the end of a session is not a fixed point of the
   * run, so counting it would make a resumed run's state differ from an uninterrupted one's.
   */
  private EpochReport epochReport(double trainLoss, double speed, double elapsed, boolean endOfRun) {
    boolean quick = endOfRun && stopRequested;
    double valLoss = Double.NaN;
    if (validation.length() >= 2 && !quick) {
      valLoss = Evaluator.evaluate(model, validation, Evaluator.DEFAULT_CHUNK).natsPerChar();
      if (!endOfRun && (Double.isNaN(bestValLoss) || valLoss < bestValLoss)) {
        bestValLoss = valLoss;
      }
    }
    String sample = "";
    if (config.sampleLength() > 0 && !quick) {
      int first = train.id(0);
      String prime = new String(Character.toChars(vocab.codePoint(first)));
      sample = prime + new Sampler(model, vocab).greedy(prime, config.sampleLength());
    }
    return new EpochReport(epoch(), step, step * config.seq() * config.batch(), trainLoss, valLoss, speed, elapsed,
        sample, endOfRun);
  }

  private boolean shouldStop(double elapsedSeconds) {
    return stopRequested
        || (config.steps() > 0 && step >= config.steps())
        || (config.epochs() > 0 && step >= config.epochs() * stepsPerEpoch)
        || (config.minutes() > 0 && elapsedBefore + elapsedSeconds >= config.minutes() * 60);
  }

  /** How far the run is towards whichever bound it will reach first, in [0, 1]. */
  private double fractionDone(double elapsedSeconds) {
    double fraction = 0;
    if (config.steps() > 0) {
      fraction = Math.max(fraction, (double) step / config.steps());
    }
    if (config.epochs() > 0) {
      fraction = Math.max(fraction, (double) step / (config.epochs() * stepsPerEpoch));
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
