/**
 * Text as the model sees it: {@link dev.tapegrad.rnn.text.CharVocabulary} maps each character
 * (a Unicode code point) to an id and back, {@link dev.tapegrad.rnn.text.EncodedText} holds a
 * whole text as ids and cuts it into training chunks, and {@link dev.tapegrad.rnn.text.TextFile}
 * reads a large file in two streaming passes. {@link dev.tapegrad.rnn.text.InputException} is
 * the one-line error for a text the user must fix.
 */
package dev.tapegrad.rnn.text;
