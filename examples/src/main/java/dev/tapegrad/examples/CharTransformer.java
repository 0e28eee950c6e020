package dev.tapegrad.examples;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.io.StateDict;
import dev.tapegrad.nn.AbstractModule;
import dev.tapegrad.nn.Dropout;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.LayerNorm;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.ModuleList;
import dev.tapegrad.ops.Expr;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.AdamW;
import dev.tapegrad.optim.GradClip;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * A character-level transformer, nanoGPT's GPT in the shape of its {@code shakespeare_char}
 * model, written on Tapegrad's public API as an embedder would write it.
 *
 * <pre>
 *   x = wte[idx] + wpe[0..T)                                   (B, T, C)
 *   per block:  x = x + attn(ln_1(x))                          causal multi-head self-attention
 *               x = x + mlp(ln_2(x))                           Linear(C, 4C), exact GELU, Linear(4C, C)
 *   logits = ln_f(x) · wteᵀ                                    (B, T, vocab): the output layer is wte
 *   loss = mean cross-entropy of the next character
 *
 *   attn(h):  q, k, v = split(c_attn(h))                        each (B, T, C) → (B, nh, T, hs)
 *             att = softmax(maskedFill(q · kᵀ / √hs, future, −∞))  (B, nh, T, T)
 *             y = c_proj((att · v) back to (B, T, C))
 * </pre>
 *
 * <p>The parameters are named as nanoGPT's {@code state_dict} names them
 * ({@code transformer.wte.weight}, {@code transformer.h.0.attn.c_attn.weight}, …), so a
 * safetensors file of nanoGPT's weights loads by name with {@link StateDict}; the output layer
 * shares {@code transformer.wte.weight} and so is listed once, as in {@code named_parameters()}.
 * Training is nanoGPT's: AdamW with weight decay on the matrices only (the two optimizers below are
 * PyTorch's two parameter groups), the gradient's global norm clipped to 1 before each step.
 * {@code CharTransformerParityTest} checks twenty steps against PyTorch's losses.
 *
 * <p>Run it with
 * {@code java -cp examples/target/examples.jar dev.tapegrad.examples.CharTransformer [FILE]}: it
 * trains on the text of FILE (a few hundred kilobytes is plenty; a built-in sonnet without one)
 * for a few hundred steps, printing the loss, then writes a sample.
 */
public final class CharTransformer {

  /**
   * The model's shape and dropout, nanoGPT's {@code GPTConfig} (biases always on).
   *
   * @param vocab the number of distinct characters
   * @param block the longest context, in characters
   * @param layers transformer blocks
   * @param heads attention heads per block, dividing {@code width}
   * @param width the embedding width C
   * @param dropout the dropout probability, 0 for none
   */
  public record Config(int vocab, int block, int layers, int heads, int width, double dropout) {
    /**
     * Checks the shape.
     *
     * @param vocab the number of characters
     * @param block the context length
     * @param layers the number of blocks
     * @param heads the number of heads
     * @param width the width
     * @param dropout the dropout probability
     */
    public Config {
      if (vocab < 1 || block < 1 || layers < 1 || heads < 1 || width < 1 || width % heads != 0) {
        throw new IllegalArgumentException("CharTransformer: invalid shape " + vocab + " characters, block " + block
            + ", " + layers + " layers, " + heads + " heads, width " + width + " (heads must divide width)");
      }
    }
  }

  /** Causal self-attention over several heads, nanoGPT's {@code CausalSelfAttention}. */
  static final class CausalSelfAttention extends AbstractModule {
    final Linear cAttn;
    final Linear cProj;
    final Dropout attnDropout;
    final Dropout residDropout;
    private final int heads;

    CausalSelfAttention(Config config, RandomGenerator random) {
      heads = config.heads();
      cAttn = register("c_attn", Linear.create(config.width(), 3 * config.width(), random));
      cProj = register("c_proj", Linear.create(config.width(), config.width(), random));
      attnDropout = register("attn_dropout", Dropout.create(config.dropout(), random));
      residDropout = register("resid_dropout", Dropout.create(config.dropout(), random));
    }

    /** {@return the attention's output for x (B, T, C), each position seeing itself and those before} */
    Expr forward(Expr x, Expr future) {
      int b = x.shape().dim(0);
      int t = x.shape().dim(1);
      int c = x.shape().dim(2);
      int hs = c / heads;
      // query, key and value of every position, each (B, T, C) split into heads: (B, nh, T, hs)
      List<Expr> qkv = x.then(cAttn::forward).split(c, 2);
      Expr q = qkv.get(0).view(b, t, heads, hs).transpose(1, 2);
      Expr k = qkv.get(1).view(b, t, heads, hs).transpose(1, 2);
      Expr v = qkv.get(2).view(b, t, heads, hs).transpose(1, 2);
      // att = softmax(q·kᵀ / √hs) over the keys, the future ones filled with −∞ first: (B, nh, T, T)
      Expr att = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.sqrt(hs));
      att = att.maskedFill(future, Float.NEGATIVE_INFINITY).softmax(-1).then(attnDropout::forward);
      // each position's weighted values, the heads side by side again: (B, T, C)
      Expr y = att.matmul(v).transpose(1, 2).reshape(b, t, c);
      return y.then(cProj::forward).then(residDropout::forward);
    }
  }

  /** The feed-forward part of a block, nanoGPT's {@code MLP}: Linear(C, 4C), GELU, Linear(4C, C). */
  static final class Mlp extends AbstractModule {
    final Linear cFc;
    final Linear cProj;
    final Dropout dropout;

    Mlp(Config config, RandomGenerator random) {
      cFc = register("c_fc", Linear.create(config.width(), 4 * config.width(), random));
      cProj = register("c_proj", Linear.create(4 * config.width(), config.width(), random));
      dropout = register("dropout", Dropout.create(config.dropout(), random));
    }

    Expr forward(Expr x) {
      return x.then(cFc::forward).gelu().then(cProj::forward).then(dropout::forward);
    }
  }

  /**
   * One transformer block, nanoGPT's {@code Block}: attention, then the MLP, each pre-normed with a
   * residual. (Public for {@code TransformerBlockBench}.)
   */
  public static final class Block extends AbstractModule {
    final LayerNorm ln1;
    final CausalSelfAttention attn;
    final LayerNorm ln2;
    final Mlp mlp;

    /**
     * Makes a block with PyTorch's default initialisation (the model then sets nanoGPT's).
     *
     * @param config the shape
     * @param random the only source of randomness
     */
    public Block(Config config, RandomGenerator random) {
      ln1 = register("ln_1", LayerNorm.create(config.width()));
      attn = register("attn", new CausalSelfAttention(config, random));
      ln2 = register("ln_2", LayerNorm.create(config.width()));
      mlp = register("mlp", new Mlp(config, random));
    }

    /**
     * {@return x + attn(ln_1(x)), then that + mlp(ln_2(that))}
     *
     * @param x the input, (B, T, C)
     * @param future the (T, T) mask of the keys each query may not see, {@link #futureMask}
     */
    public Expr forward(Expr x, Expr future) {
      x = x.add(attn.forward(x.then(ln1::forward), future));
      return x.add(mlp.forward(x.then(ln2::forward)));
    }
  }

  /** The embeddings, the blocks and the final layer norm, nanoGPT's {@code transformer} ModuleDict. */
  static final class Transformer extends AbstractModule {
    final Embedding wte;
    final Embedding wpe;
    final Dropout drop;
    final ModuleList<Block> h;
    final LayerNorm lnF;

    Transformer(Config config, RandomGenerator random) {
      wte = register("wte", Embedding.create(config.vocab(), config.width(), random));
      wpe = register("wpe", Embedding.create(config.block(), config.width(), random));
      drop = register("drop", Dropout.create(config.dropout(), random));
      List<Block> blocks = new ArrayList<>();
      for (int i = 0; i < config.layers(); i++) {
        blocks.add(new Block(config, random));
      }
      h = register("h", ModuleList.of(blocks));
      lnF = register("ln_f", LayerNorm.create(config.width()));
    }
  }

  /** The whole model, nanoGPT's {@code GPT}. */
  public static final class Gpt extends AbstractModule {
    final Transformer transformer;
    private final Config config;

    /**
     * Makes a model with nanoGPT's initial weights: every matrix and both embeddings N(0, 0.02),
     * the two residual projections of each block N(0, 0.02/√(2·layers)), biases 0, layer norms 1
     * and 0.
     *
     * @param config the shape
     * @param random the only source of randomness (weights and dropout masks)
     */
    public Gpt(Config config, RandomGenerator random) {
      this.config = config;
      transformer = register("transformer", new Transformer(config, random));
      StateDict.load(this, initialWeights(random), true);
    }

    /** {@return nanoGPT's initial value of every parameter, by name} */
    private Map<String, Tensor> initialWeights(RandomGenerator random) {
      double projStd = 0.02 / Math.sqrt(2.0 * config.layers());
      Map<String, Tensor> init = new LinkedHashMap<>();
      namedParameters().forEach((name, p) -> {
        int[] dims = p.shape().dims();
        if (name.endsWith("c_proj.weight")) {
          init.put(name, Tensor.randn(random, 0.0, projStd, dims));
        } else if (dims.length == 2) {
          init.put(name, Tensor.randn(random, 0.0, 0.02, dims));
        } else if (name.contains(".ln_") && name.endsWith(".weight")) {
          init.put(name, Tensor.full(1f, dims));
        } else {
          init.put(name, Tensor.zeros(dims));
        }
      });
      return init;
    }

    /** {@return the shape} */
    public Config config() {
      return config;
    }

    /**
     * Returns the logits of the next character at every position.
     *
     * @param tape the tape to record on
     * @param idx the characters, (B, T) with T at most the block
     * @return the logits, (B, T, vocab)
     */
    public Expr forward(Tape tape, IntTensor idx) {
      int t = idx.dim(1);
      if (t > config.block()) {
        throw new IllegalArgumentException("CharTransformer: " + t + " characters exceed the block of " + config.block());
      }
      // x = wte[idx] + wpe[0..T): (B, T, C) plus (T, C), broadcast over the batch
      Expr x = Expr.of(tape, transformer.wte.forward(tape, idx)).add(transformer.wpe.forward(tape, positions(t)));
      x = x.then(transformer.drop::forward);
      Expr future = Expr.constant(tape, futureMask(t));
      for (Block block : transformer.h) {
        x = block.forward(x, future);
      }
      // the output layer is the token embedding: logits = ln_f(x) · wteᵀ
      return x.then(transformer.lnF::forward).linear(transformer.wte.weight(), null);
    }

    /**
     * Returns the mean cross-entropy of the next characters.
     *
     * @param tape the tape to record on
     * @param idx the characters, (B, T)
     * @param targets the character after each, (B, T)
     * @return the loss, a scalar
     */
    public Expr loss(Tape tape, IntTensor idx, IntTensor targets) {
      return forward(tape, idx).crossEntropy(targets.toArray());
    }
  }

  /** {@return 0, 1, …, t − 1} */
  static IntTensor positions(int t) {
    int[] pos = new int[t];
    for (int i = 0; i < t; i++) {
      pos[i] = i;
    }
    return IntTensor.of(pos, t);
  }

  /**
   * {@return the (T, T) mask that is 1 where a key lies after its query (j > i), 0 elsewhere}
   *
   * @param t the number of positions
   */
  public static Tensor futureMask(int t) {
    Tensor mask = Tensor.zeros(t, t);
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        mask.set(1f, i, j);
      }
    }
    return mask;
  }

  /**
   * nanoGPT's AdamW, as two optimizers standing for PyTorch's two parameter groups: weight decay on
   * the tensors of rank 2 (the matrices and embeddings), none on the biases and layer norms.
   *
   * @param decay the matrices, decayed
   * @param noDecay the rest
   */
  public record Optimizers(Adam decay, Adam noDecay) {
    /**
     * Splits a model's parameters into the two groups.
     *
     * @param model the model
     * @param lr the learning rate
     * @param beta1 the first moment's decay
     * @param beta2 the second moment's decay
     * @param weightDecay the decoupled weight decay of the matrices
     * @return both optimizers
     */
    public static Optimizers of(Gpt model, double lr, double beta1, double beta2, double weightDecay) {
      Map<String, Variable> decay = new LinkedHashMap<>();
      Map<String, Variable> noDecay = new LinkedHashMap<>();
      model.namedParameters().forEach((name, p) -> (p.shape().rank() >= 2 ? decay : noDecay).put(name, p));
      return new Optimizers(AdamW.builder().lr(lr).betas(beta1, beta2).weightDecay(weightDecay).build(decay),
          AdamW.builder().lr(lr).betas(beta1, beta2).weightDecay(0).build(noDecay));
    }

    /** Zeroes every gradient. */
    public void zeroGrad() {
      decay.zeroGrad();
      noDecay.zeroGrad();
    }

    /** Steps both groups. */
    public void step() {
      decay.step();
      noDecay.step();
    }
  }

  /**
   * One training step, nanoGPT's: forward, backward, the gradient's global norm clipped, AdamW.
   *
   * @param model the model
   * @param optimizers its optimizers
   * @param x the characters, (B, T)
   * @param y the character after each, (B, T)
   * @param clip the largest global gradient norm
   * @return the loss before the update
   */
  public static float trainStep(Gpt model, Optimizers optimizers, IntTensor x, IntTensor y, double clip) {
    optimizers.zeroGrad();
    Expr loss = model.loss(new Tape(), x, y);
    loss.backward();
    GradClip.clipGlobalNorm(model.parameters(), clip);
    optimizers.step();
    return loss.value().item();
  }

  /** Shakespeare's Sonnet 18 (public domain), the text trained on when no file is given. */
  static final String SONNET = """
      Shall I compare thee to a summer's day?
      Thou art more lovely and more temperate:
      Rough winds do shake the darling buds of May,
      And summer's lease hath all too short a date;
      Sometime too hot the eye of heaven shines,
      And often is his gold complexion dimm'd;
      And every fair from fair sometime declines,
      By chance or nature's changing course untrimm'd;
      But thy eternal summer shall not fade,
      Nor lose possession of that fair thou ow'st;
      Nor shall death brag thou wander'st in his shade,
      When in eternal lines to time thou grow'st:
      So long as men can breathe or eyes can see,
      So long lives this, and this gives life to thee.
      """;

  /**
   * What a run learned.
   *
   * @param losses the loss of each step, before its update (nats)
   * @param sample text the trained model wrote
   */
  public record Result(List<Float> losses, String sample) {
    /**
     * Copies the list.
     *
     * @param losses the losses
     * @param sample the sample
     */
    public Result {
      losses = List.copyOf(losses);
    }
  }

  private CharTransformer() {}

  /**
   * Trains on a text file (or the built-in sonnet), printing the loss, then prints a sample. A file
   * that cannot be used gets one line on standard error and exit status 2 (this entry point is
   * the program's only exit).
   *
   * @param args the text file, optionally
   */
  public static void main(String[] args) {
    String text = args.length > 0 ? readText(args[0]) : SONNET;
    if (text == null) {
      System.exit(2);
    }
    Result r = train(text, 1337, STEPS, System.out);
    System.out.println("sample:");
    System.out.println(r.sample());
  }

  /** Reads a training text, or says in one line on standard error why it cannot, and returns null. */
  private static String readText(String file) {
    if (!Files.isRegularFile(Path.of(file))) {
      System.err.println("CharTransformer: no such file: " + file);
      return null;
    }
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      System.err.println("CharTransformer: cannot read " + file + ": " + e.getMessage());
      return null;
    }
    if (text.length() < 2 * BLOCK) {
      System.err.println("CharTransformer: " + file + " has " + text.length() + " characters; need at least "
          + 2 * BLOCK);
      return null;
    }
    return text;
  }

  /** The context length of {@code main}'s model. */
  static final int BLOCK = 64;
  /** Training steps of {@code main}. */
  static final int STEPS = 300;

  /**
   * Trains a small model (2 layers, 4 heads, 64 wide, block {@value #BLOCK}, batch 16, dropout
   * 0.1) on random chunks of a text.
   *
   * @param text the text, at least two blocks long
   * @param seed seeds the weights, the chunks, the dropout and the sample
   * @param steps training steps
   * @param log receives a line every 50 steps, or {@code null} for silence
   * @return the losses and a 200-character sample
   */
  public static Result train(String text, long seed, int steps, PrintStream log) {
    String vocab = vocabulary(text);
    int[] data = encode(text, vocab);
    SplittableRandom random = new SplittableRandom(seed);
    int block = Math.min(BLOCK, data.length - 1);
    Gpt model = new Gpt(new Config(vocab.length(), block, 2, 4, 64, 0.1), random);
    Optimizers optimizers = Optimizers.of(model, 1e-3, 0.9, 0.99, 0.1);
    int batch = 16;
    List<Float> losses = new ArrayList<>();
    for (int step = 1; step <= steps; step++) {
      // batch random chunks: x the characters, y the same shifted by one
      int[] x = new int[batch * block];
      int[] y = new int[batch * block];
      for (int b = 0; b < batch; b++) {
        int start = random.nextInt(data.length - block);
        System.arraycopy(data, start, x, b * block, block);
        System.arraycopy(data, start + 1, y, b * block, block);
      }
      float loss = trainStep(model, optimizers, IntTensor.of(x, batch, block), IntTensor.of(y, batch, block), 1.0);
      losses.add(loss);
      if (log != null && (step % 50 == 0 || step == 1)) {
        log.printf(Locale.ROOT, "step %4d  loss %.4f%n", step, loss);
      }
    }
    model.eval();
    String sample = sample(model, vocab, String.valueOf(text.charAt(0)), 200, random);
    return new Result(losses, sample);
  }

  /** {@return the distinct characters of the text, sorted} */
  static String vocabulary(String text) {
    StringBuilder chars = new StringBuilder();
    new TreeSet<>(text.chars().boxed().toList()).forEach(chars::appendCodePoint);
    return chars.toString();
  }

  /** {@return each character's index in the vocabulary} */
  static int[] encode(String text, String vocab) {
    int[] ids = new int[text.length()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = vocab.indexOf(text.charAt(i));
    }
    return ids;
  }

  /**
   * Writes text one character at a time, each drawn from the softmax of the model's logits at the
   * last position, the context cropped to the block.
   *
   * @param model the model, in evaluation mode
   * @param vocab the characters
   * @param prompt the characters to start from, all in the vocabulary
   * @param length how many characters to write
   * @param random the source of the draws
   * @return the prompt and the characters written
   */
  static String sample(Gpt model, String vocab, String prompt, int length, RandomGenerator random) {
    StringBuilder text = new StringBuilder(prompt);
    int block = model.config().block();
    for (int n = 0; n < length; n++) {
      int start = Math.max(0, text.length() - block);
      int[] context = encode(text.substring(start), vocab);
      Tape tape = new Tape();
      try (Tape.NoGrad off = tape.noGrad()) {
        int t = context.length;
        Tensor probs = model.forward(tape, IntTensor.of(context, 1, t)).select(1, t - 1).softmax(-1).value();
        // the first character whose running probability reaches a uniform draw
        double u = random.nextDouble();
        int next = 0;
        double sum = probs.storage()[0];
        while (sum < u && next < vocab.length() - 1) {
          sum += probs.storage()[++next];
        }
        text.append(vocab.charAt(next));
      }
    }
    return text.toString();
  }
}
