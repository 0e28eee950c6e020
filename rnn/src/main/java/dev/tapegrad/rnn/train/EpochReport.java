package dev.tapegrad.rnn.train;

/**
 * A finished epoch, or the end of the run (when {@code endOfRun} is true).
 *
 * @param epoch epochs completed
 * @param step steps taken in the whole run
 * @param chars characters trained on in the whole run
 * @param trainLoss mean training loss per character over this epoch's steps, nats
 * @param valLoss validation loss, nats per character (NaN when nothing is held out)
 * @param charsPerSecond training speed in this session
 * @param elapsedSeconds wall time of the whole run
 * @param sample a short greedy sample
 * @param endOfRun whether this is the final record of the run
 */
public record EpochReport(int epoch, long step, long chars, double trainLoss, double valLoss, double charsPerSecond,
    double elapsedSeconds, String sample, boolean endOfRun) {}
