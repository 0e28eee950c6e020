/** A program that embeds Tapegrad's core as a named module. */
module dev.tapegrad.consumer {
  requires dev.tapegrad.core;

  exports dev.tapegrad.consumer;
}
