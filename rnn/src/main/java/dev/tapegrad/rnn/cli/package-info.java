/**
 * The {@code rnn.jar} command line on picocli: {@link dev.tapegrad.rnn.cli.Main} and one class per
 * command ({@code train}, {@code sample}, {@code eval}, {@code bench}, {@code graph}), with the
 * train settings written once in {@code TrainSettings}, the progress line (fitted to the terminal by
 * {@code FittedLine}, which {@code Screen} measures), stop signals, the graph of one step
 * ({@code StepGraph}) and the relaunch that adds the Vector API module. Only
 * {@link dev.tapegrad.rnn.cli.Main} ends the process.
 */
package dev.tapegrad.rnn.cli;
