/**
 * Seeing inside a char model: {@link dev.tapegrad.rnn.visualize.ActivationTrace} runs a text through
 * the sampling stepper and keeps each character's loss, the next-character guesses and every
 * layer's states and gates; {@link dev.tapegrad.rnn.visualize.TextFeature} finds the units that
 * follow simple features of the text; {@link dev.tapegrad.rnn.visualize.ActivationPage} writes it
 * all as one self-contained HTML page, or as JSON.
 */
package dev.tapegrad.rnn.visualize;
