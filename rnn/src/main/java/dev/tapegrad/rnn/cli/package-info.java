/**
 * The {@code rnn.jar} command line on picocli: {@link dev.tapegrad.rnn.cli.Main} and one class per
 * command ({@code train}, {@code sample}, {@code eval}, {@code bench}, {@code graph},
 * {@code visualize}, {@code version}), with the train settings written once in {@code TrainSettings},
 * what a run does as it goes ({@code RunListener}) and prints ({@code RunConsole}, into the run's
 * log too), the progress line (fitted to the terminal by {@code FittedLine}, which {@code Screen}
 * measures), stop signals, the graph of one step ({@code StepGraph}) and the relaunch that adds the
 * Vector API module, whose child ends with its parent. Only
 * {@link dev.tapegrad.rnn.cli.Main} ends the process.
 */
package dev.tapegrad.rnn.cli;
