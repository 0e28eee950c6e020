package dev.tapegrad.rnn.train;

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
 * @param learningRate the learning rate this step used
 */
public record StepReport(long step, int epoch, double loss, long chars, double elapsedSeconds, double charsPerSecond,
    double fractionDone, double learningRate) {}
