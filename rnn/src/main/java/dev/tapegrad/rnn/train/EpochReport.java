package dev.tapegrad.rnn.train;

/**
 * A finished epoch, or the end of the run (when {@code endOfRun} is true).
 *
 * @param epoch the epoch its last step belongs to, from 1: the epoch just completed, or for the end of a
 *     run stopped in the middle of one the epoch in progress, as the progress line shows it
 * @param step steps taken in the whole run
 * @param chars characters trained on in the whole run
 * @param trainLoss mean training loss per character over this epoch's steps, nats
 * @param valLoss validation loss, nats per character (NaN when nothing is held out)
 * @param learningRate the learning rate of the last step (NaN when this session took no step)
 * @param charsPerSecond training speed in this session
 * @param elapsedSeconds wall time of the whole run
 * @param sample the text {@code rnn.jar sample} would write from the model now, prime included, as
 *     long as {@link TrainConfig#sampleLength()} asks (empty for none)
 * @param endOfRun whether this is the final record of the run
 */
public record EpochReport(int epoch, long step, long chars, double trainLoss, double valLoss, double learningRate,
    double charsPerSecond, double elapsedSeconds, String sample, boolean endOfRun) {}
