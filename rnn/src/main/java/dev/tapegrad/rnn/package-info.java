/**
 * The notebook's character model, {@link dev.tapegrad.rnn.CharModel}: Embedding(V, V), a GRU, LSTM
 * or plain RNN, and Linear(H, V), with the PyTorch {@code state_dict} names, and the small random
 * generator ({@link dev.tapegrad.rnn.SplitMix64}) whose state a run saves so that it can resume.
 *
 * <p>The rest of rnn builds on this package in layers, each using only those before it:
 * {@link dev.tapegrad.rnn.text} (characters to ids), {@link dev.tapegrad.rnn.sample} (generating
 * text), {@link dev.tapegrad.rnn.train} (training and evaluation), {@link dev.tapegrad.rnn.checkpoint}
 * (the run directory on disk) and {@link dev.tapegrad.rnn.cli} (the {@code rnn.jar} command line).
 */
package dev.tapegrad.rnn;
