/**
 * Tapegrad's character-level model ({@code dev.tapegrad.rnn}), its text encoding
 * ({@code dev.tapegrad.rnn.text}), sampler ({@code dev.tapegrad.rnn.sample}), trainer
 * ({@code dev.tapegrad.rnn.train}), run files ({@code dev.tapegrad.rnn.checkpoint}) and activation
 * pages ({@code dev.tapegrad.rnn.visualize}), and the {@code rnn.jar} command line
 * ({@code dev.tapegrad.rnn.cli}), on {@code dev.tapegrad.core}. Each
 * package uses only those before it in this list: the model and the text know nothing of training,
 * the trainer nothing of files, and only the command line knows them all.
 *
 * <p>Run it from the module path with
 * {@code java --add-modules jdk.incubator.vector -p LIBS -m dev.tapegrad.rnn/dev.tapegrad.rnn.cli.Main};
 * {@code rnn.jar} is a shaded jar and runs on the class path, where this descriptor plays no part.
 */
module dev.tapegrad.rnn {
  requires transitive dev.tapegrad.core;
  requires info.picocli;
  // Screen asks JLine's exec provider whether a stream is a terminal, and how wide it is.
  requires org.jline.terminal;
  // VectorRelaunch reads the JVM's options (ManagementFactory) to start it again with the Vector API.
  requires java.management;
  // StopSignals catches SIGINT and SIGTERM with sun.misc.Signal (not by reflection). Required, not
  // static: on the module path a static dependency is resolved only when something else requires it,
  // so the signals would quietly fall back to the shutdown hook. StopSignals still handles a
  // runtime without the module (LinkageError) on the class path.
  requires jdk.unsupported;

  exports dev.tapegrad.rnn;
  exports dev.tapegrad.rnn.text;
  exports dev.tapegrad.rnn.train;
  exports dev.tapegrad.rnn.sample;
  exports dev.tapegrad.rnn.checkpoint;
  exports dev.tapegrad.rnn.visualize;
  // Main.run, for embedding the command line; the other classes of the package are not public.
  exports dev.tapegrad.rnn.cli;
  // picocli builds the commands by reflection: their private fields, constructors and the model transformer.
  opens dev.tapegrad.rnn.cli to info.picocli;
}
