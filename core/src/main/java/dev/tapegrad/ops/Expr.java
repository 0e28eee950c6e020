package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A variable bound to the tape its ops record on, so that an expression reads as a chain of
 * methods: {@code x.mul(w).add(b).tanh()} instead of
 * {@code Tanh.apply(tape, Add.apply(tape, Mul.apply(tape, x, w), b))}. Each method calls the op's
 * {@code apply} with this tape and binds the result to it; the tape is an ordinary field, passed in
 * once by {@link #of}, never a global or a thread-local.
 *
 * <p>Operands may be other expressions, plain variables (parameters and constants bind to the tape
 * when they are used) or numbers, which are rank-0 constants that broadcast. The result's
 * {@link #variable()} is what the ops, layers and optimizers take.
 *
 * <pre>{@code
 * Tape tape = new Tape();
 * Expr a = Expr.of(tape, Variable.parameter("a", Tensor.scalar(-4f)));
 * Expr b = Expr.of(tape, Variable.parameter("b", Tensor.scalar(2f)));
 * Expr d = a.mul(b).add(b.pow(3));          // a·b + b³
 * Expr loss = d.sub(a).relu().div(2);       // relu(d − a) / 2
 * loss.backward();                          // a.grad() and b.grad() now hold the gradients
 * }</pre>
 */
public final class Expr {

  private final Tape tape;
  private final Variable variable;

  private Expr(Tape tape, Variable variable) {
    this.tape = Objects.requireNonNull(tape, "tape");
    this.variable = Objects.requireNonNull(variable, "variable");
  }

  /**
   * Binds a variable to a tape: the start of an expression.
   *
   * @param tape the tape every op of the expression records on
   * @param variable a parameter, a constant or an op's result
   * @return the bound expression
   */
  public static Expr of(Tape tape, Variable variable) {
    return new Expr(tape, variable);
  }

  /**
   * Binds a constant holding {@code value} to a tape.
   *
   * @param tape the tape every op of the expression records on
   * @param value the constant's value (not copied)
   * @return the bound expression
   */
  public static Expr constant(Tape tape, Tensor value) {
    return new Expr(tape, Variable.constant(value));
  }

  private Expr bind(Variable result) {
    return new Expr(tape, result);
  }

  /** {@return the variable this expression stands for} */
  public Variable variable() {
    return variable;
  }

  /** {@return the variable's value} */
  public Tensor value() {
    return variable.value();
  }

  /** {@return the variable's shape} */
  public Shape shape() {
    return variable.shape();
  }

  /** {@return the variable's accumulated gradient, or {@code null} before backward reached it} */
  public Tensor grad() {
    return variable.grad();
  }

  /** {@return the tape the expression records on} */
  public Tape tape() {
    return tape;
  }

  /**
   * Back-propagates from this one-element expression, usually a loss: {@code tape.backward}.
   *
   * @throws IllegalArgumentException if it has more than one element (give a seed with
   *     {@link #backward(Tensor)})
   * @throws IllegalStateException as {@link Tape#backward(Variable, Tensor, boolean)}
   */
  public void backward() {
    tape.backward(variable);
  }

  /**
   * Back-propagates from this expression of any shape, seeding its gradient with {@code seed},
   * PyTorch's {@code y.backward(gradient)}: the leaves receive the vector-Jacobian product
   * seedᵀ · ∂this/∂leaf, as if this expression were summed with the seed's weights. The tape is
   * released afterwards.
   *
   * <pre>{@code
   * Expr y = x.mul(w);                               // 2 elements
   * y.backward(Tensor.of(new float[] {1, 0.5f}, 2)); // w.grad() = [x0, 0.5 x1]
   * }</pre>
   *
   * @param seed the gradient of some scalar with respect to this expression, this shape
   * @throws IllegalArgumentException if the seed's shape differs from this expression's
   * @throws IllegalStateException as {@link Tape#backward(Variable, Tensor, boolean)}
   */
  public void backward(Tensor seed) {
    tape.backward(variable, seed, false);
  }

  /**
   * Returns this value cut off from the graph, PyTorch's {@code detach()}: a constant sharing this
   * value (not a copy), bound to the same tape, through which no gradient flows back; see
   * {@link Variable#detach()}.
   *
   * <pre>{@code
   * Expr target = y.detach();          // treated as a constant below
   * Expr loss = y.sub(target).pow(2).sum();   // zero, and so is its gradient
   * }</pre>
   *
   * @return the detached expression
   */
  public Expr detach() {
    return bind(variable.detach());
  }

  /**
   * Applies a function of the tape and a variable, such as a layer's {@code forward}:
   * {@code x.then(hidden::forward).relu().then(output::forward)}.
   *
   * @param f the function, called with this tape and this variable
   * @return its result, bound to this tape
   */
  public Expr then(BiFunction<Tape, Variable, Variable> f) {
    return bind(f.apply(tape, variable));
  }

  /**
   * {@return this + other, broadcast; see {@link Add}}
   *
   * @param other the second operand
   */
  public Expr add(Expr other) {
    return add(other.variable);
  }

  /**
   * {@return this + other, broadcast; see {@link Add}}
   *
   * @param other the second operand
   */
  public Expr add(Variable other) {
    return bind(Add.apply(tape, variable, other));
  }

  /**
   * {@return this + c; see {@link Add}}
   *
   * @param c a number
   */
  public Expr add(float c) {
    return bind(Add.apply(tape, variable, c));
  }

  /**
   * {@return this + c; see {@link Add}} The number is rounded to float, the tensors' type, as
   * PyTorch does with a Python float and a float32 tensor.
   *
   * @param c a number
   */
  public Expr add(double c) {
    return add((float) c);
  }

  /**
   * {@return this − other, broadcast; see {@link Sub}}
   *
   * @param other the subtrahend
   */
  public Expr sub(Expr other) {
    return sub(other.variable);
  }

  /**
   * {@return this − other, broadcast; see {@link Sub}}
   *
   * @param other the subtrahend
   */
  public Expr sub(Variable other) {
    return bind(Sub.apply(tape, variable, other));
  }

  /**
   * {@return this − c; see {@link Sub}}
   *
   * @param c a number
   */
  public Expr sub(float c) {
    return bind(Sub.apply(tape, variable, c));
  }

  /**
   * {@return this − c; see {@link Sub}} The number is rounded to float, the tensors' type, as
   * PyTorch does with a Python float and a float32 tensor.
   *
   * @param c a number
   */
  public Expr sub(double c) {
    return sub((float) c);
  }

  /**
   * {@return c − this (PyTorch's {@code rsub}); see {@link Sub}}
   *
   * @param c a number
   */
  public Expr rsub(float c) {
    return bind(Sub.apply(tape, c, variable));
  }

  /**
   * {@return c − this (PyTorch's {@code rsub}); see {@link Sub}} The number is rounded to float, the tensors' type, as
   * PyTorch does with a Python float and a float32 tensor.
   *
   * @param c a number
   */
  public Expr rsub(double c) {
    return rsub((float) c);
  }

  /**
   * {@return this ⊙ other, broadcast; see {@link Mul}}
   *
   * @param other the second factor
   */
  public Expr mul(Expr other) {
    return mul(other.variable);
  }

  /**
   * {@return this ⊙ other, broadcast; see {@link Mul}}
   *
   * @param other the second factor
   */
  public Expr mul(Variable other) {
    return bind(Mul.apply(tape, variable, other));
  }

  /**
   * {@return this · c; see {@link Mul}}
   *
   * @param c a number
   */
  public Expr mul(float c) {
    return bind(Mul.apply(tape, variable, c));
  }

  /**
   * {@return this · c; see {@link Mul}} The number is rounded to float, the tensors' type, as
   * PyTorch does with a Python float and a float32 tensor.
   *
   * @param c a number
   */
  public Expr mul(double c) {
    return mul((float) c);
  }

  /**
   * {@return this / other, broadcast; see {@link Div}}
   *
   * @param other the denominator
   */
  public Expr div(Expr other) {
    return div(other.variable);
  }

  /**
   * {@return this / other, broadcast; see {@link Div}}
   *
   * @param other the denominator
   */
  public Expr div(Variable other) {
    return bind(Div.apply(tape, variable, other));
  }

  /**
   * {@return this / c; see {@link Div}}
   *
   * @param c a number
   */
  public Expr div(float c) {
    return bind(Div.apply(tape, variable, c));
  }

  /**
   * {@return this / c; see {@link Div}} The number is rounded to float, the tensors' type, as
   * PyTorch does with a Python float and a float32 tensor.
   *
   * @param c a number
   */
  public Expr div(double c) {
    return div((float) c);
  }

  /**
   * {@return c / this; see {@link Div}}
   *
   * @param c a number
   */
  public Expr rdiv(float c) {
    return bind(Div.apply(tape, c, variable));
  }

  /**
   * {@return c / this; see {@link Div}} The number is rounded to float, the tensors' type, as
   * PyTorch does with a Python float and a float32 tensor.
   *
   * @param c a number
   */
  public Expr rdiv(double c) {
    return rdiv((float) c);
  }

  /**
   * {@return this^p for a constant p; see {@link Pow}}
   *
   * @param p the exponent
   */
  public Expr pow(float p) {
    return bind(Pow.apply(tape, variable, p));
  }

  /**
   * {@return this^p for a constant p, rounded to float; see {@link Pow}}
   *
   * @param p the exponent
   */
  public Expr pow(double p) {
    return pow((float) p);
  }

  /** {@return −this; see {@link Neg}} */
  public Expr neg() {
    return bind(Neg.apply(tape, variable));
  }

  /** {@return e^this; see {@link Exp}} */
  public Expr exp() {
    return bind(Exp.apply(tape, variable));
  }

  /** {@return ln this; see {@link Log}} */
  public Expr log() {
    return bind(Log.apply(tape, variable));
  }

  /** {@return √this; see {@link Sqrt}} */
  public Expr sqrt() {
    return bind(Sqrt.apply(tape, variable));
  }

  /** {@return max(this, 0); see {@link Relu}} */
  public Expr relu() {
    return bind(Relu.apply(tape, variable));
  }

  /** {@return tanh(this); see {@link Tanh}} */
  public Expr tanh() {
    return bind(Tanh.apply(tape, variable));
  }

  /** {@return σ(this); see {@link Sigmoid}} */
  public Expr sigmoid() {
    return bind(Sigmoid.apply(tape, variable));
  }

  /** {@return |this|; see {@link Abs}} */
  public Expr abs() {
    return bind(Abs.apply(tape, variable));
  }

  /**
   * {@return this clipped into [min, max]; see {@link Clamp}}
   *
   * @param min the lower bound ({@link Float#NEGATIVE_INFINITY} for none)
   * @param max the upper bound ({@link Float#POSITIVE_INFINITY} for none)
   */
  public Expr clamp(float min, float max) {
    return bind(Clamp.apply(tape, variable, min, max));
  }

  /**
   * {@return max(this, min) (PyTorch's {@code clamp_min}); see {@link Clamp}}
   *
   * @param min the lower bound
   */
  public Expr clampMin(float min) {
    return bind(Clamp.min(tape, variable, min));
  }

  /**
   * {@return min(this, max) (PyTorch's {@code clamp_max}); see {@link Clamp}}
   *
   * @param max the upper bound
   */
  public Expr clampMax(float max) {
    return bind(Clamp.max(tape, variable, max));
  }

  /**
   * {@return the elementwise larger of this and other, broadcast; see {@link Maximum}}
   *
   * @param other the second operand
   */
  public Expr maximum(Expr other) {
    return bind(Maximum.apply(tape, variable, other.variable));
  }

  /**
   * {@return the elementwise smaller of this and other, broadcast; see {@link Minimum}}
   *
   * @param other the second operand
   */
  public Expr minimum(Expr other) {
    return bind(Minimum.apply(tape, variable, other.variable));
  }

  /**
   * {@return this where the condition holds, other elsewhere (PyTorch's {@code x.where(cond, y)});
   * see {@link Where}}
   *
   * @param condition a mask, nonzero for true
   * @param other the values taken where it is 0
   */
  public Expr where(Expr condition, Expr other) {
    return bind(Where.apply(tape, condition.variable, variable, other.variable));
  }

  /**
   * {@return this with value wherever the mask is nonzero; see {@link MaskedFill}}
   *
   * @param mask where to write, broadcast against this
   * @param value the value written
   */
  public Expr maskedFill(Expr mask, float value) {
    return bind(MaskedFill.apply(tape, variable, mask.variable, value));
  }

  /**
   * {@return the mask of this == other (1 or 0, a constant); see {@link Compare}}
   *
   * @param other the right operand, broadcast
   */
  public Expr eq(Expr other) {
    return bind(Compare.apply(tape, variable, Compare.Relation.EQ, other.variable));
  }

  /**
   * {@return the mask of this == c; see {@link Compare}}
   *
   * @param c a number
   */
  public Expr eq(float c) {
    return bind(Compare.apply(tape, variable, Compare.Relation.EQ, c));
  }

  /**
   * {@return the mask of this ≠ other; see {@link Compare}}
   *
   * @param other the right operand, broadcast
   */
  public Expr ne(Expr other) {
    return bind(Compare.apply(tape, variable, Compare.Relation.NE, other.variable));
  }

  /**
   * {@return the mask of this ≠ c; see {@link Compare}}
   *
   * @param c a number
   */
  public Expr ne(float c) {
    return bind(Compare.apply(tape, variable, Compare.Relation.NE, c));
  }

  /**
   * {@return the mask of this &lt; other; see {@link Compare}}
   *
   * @param other the right operand, broadcast
   */
  public Expr lt(Expr other) {
    return bind(Compare.apply(tape, variable, Compare.Relation.LT, other.variable));
  }

  /**
   * {@return the mask of this &lt; c; see {@link Compare}}
   *
   * @param c a number
   */
  public Expr lt(float c) {
    return bind(Compare.apply(tape, variable, Compare.Relation.LT, c));
  }

  /**
   * {@return the mask of this ≤ other; see {@link Compare}}
   *
   * @param other the right operand, broadcast
   */
  public Expr le(Expr other) {
    return bind(Compare.apply(tape, variable, Compare.Relation.LE, other.variable));
  }

  /**
   * {@return the mask of this ≤ c; see {@link Compare}}
   *
   * @param c a number
   */
  public Expr le(float c) {
    return bind(Compare.apply(tape, variable, Compare.Relation.LE, c));
  }

  /**
   * {@return the mask of this &gt; other; see {@link Compare}}
   *
   * @param other the right operand, broadcast
   */
  public Expr gt(Expr other) {
    return bind(Compare.apply(tape, variable, Compare.Relation.GT, other.variable));
  }

  /**
   * {@return the mask of this &gt; c; see {@link Compare}}
   *
   * @param c a number
   */
  public Expr gt(float c) {
    return bind(Compare.apply(tape, variable, Compare.Relation.GT, c));
  }

  /**
   * {@return the mask of this ≥ other; see {@link Compare}}
   *
   * @param other the right operand, broadcast
   */
  public Expr ge(Expr other) {
    return bind(Compare.apply(tape, variable, Compare.Relation.GE, other.variable));
  }

  /**
   * {@return the mask of this ≥ c; see {@link Compare}}
   *
   * @param c a number
   */
  public Expr ge(float c) {
    return bind(Compare.apply(tape, variable, Compare.Relation.GE, c));
  }

  /** {@return the exact GELU, x Φ(x); see {@link Gelu}} */
  public Expr gelu() {
    return bind(Gelu.apply(tape, variable));
  }

  /**
   * {@return the GELU with PyTorch's {@code approximate} argument; see {@link Gelu}}
   *
   * @param approximate {@code "none"} or {@code "tanh"}
   */
  public Expr gelu(String approximate) {
    return bind(Gelu.apply(tape, variable, approximate));
  }

  /** {@return the largest element, a scalar (ties share the gradient); see {@link Max}} */
  public Expr max() {
    return bind(Max.apply(tape, variable));
  }

  /**
   * {@return the largest elements along one dimension, their values (the gradient to the chosen
   * element); {@link #argmax(int, boolean)} or {@link Max} give the indices}
   *
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1
   */
  public Expr max(int dim, boolean keepDim) {
    return bind(Max.apply(tape, variable, dim, keepDim).values());
  }

  /** {@return the smallest element, a scalar; see {@link Min}} */
  public Expr min() {
    return bind(Min.apply(tape, variable));
  }

  /**
   * {@return the smallest elements along one dimension, their values; see {@link Min}}
   *
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1
   */
  public Expr min(int dim, boolean keepDim) {
    return bind(Min.apply(tape, variable, dim, keepDim).values());
  }

  /**
   * {@return the maxima over several dimensions (ties share the gradient); see {@link Amax}}
   *
   * @param dims the dimensions, negative counting from the end; empty for all
   * @param keepDim keep them with size 1
   */
  public Expr amax(int[] dims, boolean keepDim) {
    return bind(Amax.apply(tape, variable, dims, keepDim));
  }

  /**
   * {@return the minima over several dimensions; see {@link Amin}}
   *
   * @param dims the dimensions, negative counting from the end; empty for all
   * @param keepDim keep them with size 1
   */
  public Expr amin(int[] dims, boolean keepDim) {
    return bind(Amin.apply(tape, variable, dims, keepDim));
  }

  /** {@return the row-major index of the largest element, a constant scalar; see {@link Argmax}} */
  public Expr argmax() {
    return bind(Argmax.apply(tape, variable));
  }

  /**
   * {@return the index of the largest element along one dimension, a constant; see {@link Argmax}}
   *
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1
   */
  public Expr argmax(int dim, boolean keepDim) {
    return bind(Argmax.apply(tape, variable, dim, keepDim));
  }

  /** {@return the row-major index of the smallest element, a constant scalar; see {@link Argmin}} */
  public Expr argmin() {
    return bind(Argmin.apply(tape, variable));
  }

  /**
   * {@return the index of the smallest element along one dimension, a constant; see {@link Argmin}}
   *
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1
   */
  public Expr argmin(int dim, boolean keepDim) {
    return bind(Argmin.apply(tape, variable, dim, keepDim));
  }

  /**
   * {@return ln Σ e^this over several dimensions, computed stably; see {@link LogSumExp}}
   *
   * @param dims the dimensions, negative counting from the end; empty for all
   * @param keepDim keep them with size 1
   */
  public Expr logsumexp(int[] dims, boolean keepDim) {
    return bind(LogSumExp.apply(tape, variable, dims, keepDim));
  }

  /**
   * {@return the sums over several dimensions; see {@link Sum}}
   *
   * @param dims the dimensions, negative counting from the end; empty for all
   * @param keepDim keep them with size 1
   */
  public Expr sum(int[] dims, boolean keepDim) {
    return bind(Sum.apply(tape, variable, dims, keepDim));
  }

  /**
   * {@return the means over several dimensions; see {@link Mean}}
   *
   * @param dims the dimensions, negative counting from the end; empty for all
   * @param keepDim keep them with size 1
   */
  public Expr mean(int[] dims, boolean keepDim) {
    return bind(Mean.apply(tape, variable, dims, keepDim));
  }

  /** {@return the unbiased variance of every element, a scalar; see {@link Var}} */
  public Expr var() {
    return bind(Var.apply(tape, variable));
  }

  /**
   * {@return the variances over several dimensions with a correction; see {@link Var}}
   *
   * @param dims the dimensions, negative counting from the end; empty for all
   * @param correction subtracted from the count: 1 unbiased, 0 the population variance
   * @param keepDim keep them with size 1
   */
  public Expr var(int[] dims, int correction, boolean keepDim) {
    return bind(Var.apply(tape, variable, dims, correction, keepDim));
  }

  /** {@return the unbiased standard deviation of every element, a scalar; see {@link Std}} */
  public Expr std() {
    return bind(Std.apply(tape, variable));
  }

  /**
   * {@return the standard deviations over several dimensions with a correction; see {@link Std}}
   *
   * @param dims the dimensions, negative counting from the end; empty for all
   * @param correction subtracted from the count: 1 unbiased, 0 the population
   * @param keepDim keep them with size 1
   */
  public Expr std(int[] dims, int correction, boolean keepDim) {
    return bind(Std.apply(tape, variable, dims, correction, keepDim));
  }

  /**
   * {@return the softmax over one dimension; see {@link Softmax}}
   *
   * @param dim the dimension, negative counting from the end
   */
  public Expr softmax(int dim) {
    return bind(Softmax.apply(tape, variable, dim));
  }

  /**
   * {@return the log-softmax over one dimension; see {@link LogSoftmax}}
   *
   * @param dim the dimension, negative counting from the end
   */
  public Expr logSoftmax(int dim) {
    return bind(LogSoftmax.apply(tape, variable, dim));
  }

  /**
   * {@return the matrix product this · other; see {@link MatMul}}
   *
   * @param other the right matrix
   */
  public Expr matmul(Expr other) {
    return matmul(other.variable);
  }

  /**
   * {@return the matrix product this · other; see {@link MatMul}}
   *
   * @param other the right matrix
   */
  public Expr matmul(Variable other) {
    return bind(MatMul.apply(tape, variable, other));
  }

  /**
   * {@return this · Wᵀ + b over the last dimension, (…, In) → (…, Out); see {@link Linear}}
   *
   * @param weight W, Out×In
   * @param bias b, Out, or {@code null} for none
   */
  public Expr linear(Variable weight, Variable bias) {
    return bind(Linear.apply(tape, variable, weight, bias));
  }

  /**
   * {@return this normalised over its last dimensions, times weight plus bias; see {@link LayerNorm}}
   *
   * @param normalizedShape the trailing dimensions to normalise over
   * @param weight of shape {@code normalizedShape}, or {@code null}
   * @param bias of shape {@code normalizedShape}, or {@code null}
   * @param eps added to the variance (PyTorch's default is 1e-5)
   */
  public Expr layerNorm(int[] normalizedShape, Variable weight, Variable bias, float eps) {
    return bind(LayerNorm.apply(tape, variable, normalizedShape, weight, bias, eps));
  }

  /**
   * {@return the squared error of this prediction against target, reduced; see {@link MseLoss}}
   *
   * @param target the target, this shape
   * @param reduction mean, sum or none
   */
  public Expr mseLoss(Expr target, Reduction reduction) {
    return mseLoss(target.variable, reduction);
  }

  /**
   * {@return the squared error of this prediction against target, reduced; see {@link MseLoss}}
   *
   * @param target the target, this shape
   * @param reduction mean, sum or none
   */
  public Expr mseLoss(Variable target, Reduction reduction) {
    return bind(MseLoss.apply(tape, variable, target, reduction));
  }

  /**
   * {@return the binary cross-entropy of target under the sigmoid of these logits; see
   * {@link BinaryCrossEntropyWithLogits}}
   *
   * @param target the targets, this shape
   * @param reduction mean, sum or none
   */
  public Expr binaryCrossEntropyWithLogits(Variable target, Reduction reduction) {
    return bind(BinaryCrossEntropyWithLogits.apply(tape, variable, target, reduction));
  }

  /**
   * {@return the binary cross-entropy of target under the sigmoid of these logits, positives
   * weighted by posWeight; see {@link BinaryCrossEntropyWithLogits}}
   *
   * @param target the targets, this shape
   * @param posWeight the positive class's weight, broadcastable to this shape
   * @param reduction mean, sum or none
   */
  public Expr binaryCrossEntropyWithLogits(Variable target, Tensor posWeight, Reduction reduction) {
    return bind(BinaryCrossEntropyWithLogits.apply(tape, variable, target, posWeight, reduction));
  }

  /** {@return the sum of every element, a scalar; see {@link Sum}} */
  public Expr sum() {
    return bind(Sum.apply(tape, variable));
  }

  /**
   * {@return the sums along one dimension; see {@link Sum}}
   *
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1
   */
  public Expr sum(int dim, boolean keepDim) {
    return bind(Sum.apply(tape, variable, dim, keepDim));
  }

  /** {@return the mean of every element, a scalar; see {@link Mean}} */
  public Expr mean() {
    return bind(Mean.apply(tape, variable));
  }

  /**
   * {@return the means along one dimension; see {@link Mean}}
   *
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1
   */
  public Expr mean(int dim, boolean keepDim) {
    return bind(Mean.apply(tape, variable, dim, keepDim));
  }

  /** {@return the softmax over the last dimension; see {@link Softmax}} */
  public Expr softmax() {
    return bind(Softmax.apply(tape, variable));
  }

  /** {@return the log-softmax over the last dimension; see {@link LogSoftmax}} */
  public Expr logSoftmax() {
    return bind(LogSoftmax.apply(tape, variable));
  }

  /** {@return this with its last two dimensions swapped; see {@link Transpose}} */
  public Expr transpose() {
    return bind(Transpose.apply(tape, variable));
  }

  /**
   * {@return the same values with another shape; see {@link Reshape}}
   *
   * @param dims the new shape, with the same element count; one may be {@code -1}, inferred
   */
  public Expr reshape(int... dims) {
    return bind(Reshape.apply(tape, variable, dims));
  }

  /**
   * {@return the same values with another shape, PyTorch's {@code view}: the same as
   * {@link #reshape}}
   *
   * @param dims the new shape; one may be {@code -1}
   */
  public Expr view(int... dims) {
    return reshape(dims);
  }

  /**
   * {@return {@code torch.cat}: the expressions joined along an existing dimension, recorded on
   * the first one's tape; see {@link Cat}}
   *
   * @param tensors at least one expression, of one shape except along {@code dim}
   * @param dim the dimension, negative counting from the end
   */
  public static Expr cat(List<Expr> tensors, int dim) {
    Expr first = first("Cat", tensors);
    return first.bind(Cat.apply(first.tape, variables(tensors), dim));
  }

  /**
   * {@return {@code torch.stack}: the expressions joined along a new dimension, recorded on the
   * first one's tape; see {@link Stack}}
   *
   * @param tensors at least one expression, all of one shape
   * @param dim where the new dimension goes, negative counting from the result's end
   */
  public static Expr stack(List<Expr> tensors, int dim) {
    Expr first = first("Stack", tensors);
    return first.bind(Stack.apply(first.tape, variables(tensors), dim));
  }

  /**
   * {@return pieces of {@code splitSize} along {@code dim}, the last possibly smaller; see {@link Split}}
   *
   * @param splitSize each piece's size
   * @param dim the dimension, negative counting from the end
   */
  public List<Expr> split(int splitSize, int dim) {
    return bindAll(Split.apply(tape, variable, splitSize, dim));
  }

  /**
   * {@return pieces of the given sizes along {@code dim}; see {@link Split}}
   *
   * @param sizes each piece's size, adding up to the dimension's
   * @param dim the dimension, negative counting from the end
   */
  public List<Expr> split(int[] sizes, int dim) {
    return bindAll(Split.apply(tape, variable, sizes, dim));
  }

  /**
   * {@return at most {@code chunks} equal pieces along {@code dim}; see {@link Chunk}}
   *
   * @param chunks how many pieces at most
   * @param dim the dimension, negative counting from the end
   */
  public List<Expr> chunk(int chunks, int dim) {
    return bindAll(Chunk.apply(tape, variable, chunks, dim));
  }

  /**
   * {@return positions {@code [start, start + length)} along {@code dim}; see {@link Narrow}}
   *
   * @param dim the dimension, negative counting from the end
   * @param start the first position, negative counting from the end
   * @param length how many positions
   */
  public Expr narrow(int dim, int start, int length) {
    return bind(Narrow.apply(tape, variable, dim, start, length));
  }

  /**
   * {@return {@code x[..., start:end:step, ...]} along {@code dim}, Python's bounds; see {@link Slice}}
   *
   * @param dim the dimension, negative counting from the end
   * @param start the first position (negative from the end, clamped)
   * @param end the position after the last ({@code Integer.MAX_VALUE}: to the end)
   * @param step the distance between positions, at least 1
   */
  public Expr slice(int dim, int start, int end, int step) {
    return bind(Slice.apply(tape, variable, dim, start, end, step));
  }

  /**
   * {@return position {@code index} along {@code dim}, the dimension removed; see {@link Select}}
   *
   * @param dim the dimension, negative counting from the end
   * @param index the position, negative counting from the end
   */
  public Expr select(int dim, int index) {
    return bind(Select.apply(tape, variable, dim, index));
  }

  /**
   * {@return the slices at {@code index} along {@code dim}; see {@link IndexSelect}}
   *
   * @param dim the dimension, negative counting from the end
   * @param index the positions, 1-D
   */
  public Expr indexSelect(int dim, IntTensor index) {
    return bind(IndexSelect.apply(tape, variable, dim, index));
  }

  /**
   * {@return the elements at {@code index} along {@code dim}; see {@link Gather}}
   *
   * @param dim the dimension, negative counting from the end
   * @param index the positions, this expression's rank
   */
  public Expr gather(int dim, IntTensor index) {
    return bind(Gather.apply(tape, variable, dim, index));
  }

  /**
   * {@return this plus {@code src} added at {@code index} along {@code dim}; see {@link ScatterAdd}}
   *
   * @param dim the dimension, negative counting from the end
   * @param index the positions, this expression's rank
   * @param src the values added
   */
  public Expr scatterAdd(int dim, IntTensor index, Expr src) {
    return scatterAdd(dim, index, src.variable);
  }

  /**
   * {@return this plus {@code src} added at {@code index} along {@code dim}; see {@link ScatterAdd}}
   *
   * @param dim the dimension, negative counting from the end
   * @param index the positions, this expression's rank
   * @param src the values added
   */
  public Expr scatterAdd(int dim, IntTensor index, Variable src) {
    return bind(ScatterAdd.apply(tape, variable, dim, index, src));
  }

  /**
   * {@return the dimensions reordered: out's dimension k is this one's {@code dims[k]}; see {@link Permute}}
   *
   * @param dims a permutation of the dimensions
   */
  public Expr permute(int... dims) {
    return bind(Permute.apply(tape, variable, dims));
  }

  /**
   * {@return dimensions {@code dim0} and {@code dim1} swapped; see {@link Transpose}}
   *
   * @param dim0 one dimension, negative counting from the end
   * @param dim1 the other
   */
  public Expr transpose(int dim0, int dim1) {
    return bind(Transpose.apply(tape, variable, dim0, dim1));
  }

  /**
   * {@return a size-1 dimension inserted at {@code dim}; see {@link Unsqueeze}}
   *
   * @param dim where, from {@code -(rank+1)} to {@code rank}
   */
  public Expr unsqueeze(int dim) {
    return bind(Unsqueeze.apply(tape, variable, dim));
  }

  /** {@return the values without any size-1 dimension; see {@link Squeeze}} */
  public Expr squeeze() {
    return bind(Squeeze.apply(tape, variable));
  }

  /**
   * {@return the values without dimension {@code dim} if it is 1; see {@link Squeeze}}
   *
   * @param dim the dimension, negative counting from the end
   */
  public Expr squeeze(int dim) {
    return bind(Squeeze.apply(tape, variable, dim));
  }

  /**
   * {@return the values repeated to {@code sizes} along size-1 and new leading dimensions; see {@link Expand}}
   *
   * @param sizes the result's dimensions, {@code -1} keeping this one's
   */
  public Expr expand(int... sizes) {
    return bind(Expand.apply(tape, variable, sizes));
  }

  /**
   * {@return dimensions {@code startDim} through {@code endDim} merged into one; see {@link Flatten}}
   *
   * @param startDim the first dimension merged, negative counting from the end
   * @param endDim the last dimension merged
   */
  public Expr flatten(int startDim, int endDim) {
    return bind(Flatten.apply(tape, variable, startDim, endDim));
  }

  /** {@return the first of the expressions, whose tape a static op records on} */
  private static Expr first(String op, List<Expr> tensors) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException(op + ": needs at least one tensor");
    }
    return tensors.get(0);
  }

  /** {@return the expressions' variables, in order} */
  private static List<Variable> variables(List<Expr> tensors) {
    List<Variable> vs = new ArrayList<>(tensors.size());
    for (Expr e : tensors) {
      vs.add(e.variable);
    }
    return vs;
  }

  /** {@return the variables, each bound to this tape} */
  private List<Expr> bindAll(List<Variable> results) {
    List<Expr> bound = new ArrayList<>(results.size());
    for (Variable v : results) {
      bound.add(bind(v));
    }
    return List.copyOf(bound);
  }

  /**
   * {@return the mean cross-entropy of the targets under the softmax of these logits (…, C), targets
   * of −100 left out; see {@link CrossEntropy} (for (N, C) logits and no target left out, the value
   * of {@link SoftmaxCrossEntropy})}
   *
   * @param targets the class of each row of C logits, or −100 to leave it out
   */
  public Expr crossEntropy(int[] targets) {
    return bind(CrossEntropy.apply(tape, variable, targets));
  }

  /**
   * {@return the cross-entropy of the targets under the softmax of these logits (…, C), with
   * PyTorch's options; see {@link CrossEntropy}}
   *
   * @param targets the class of each row of C logits, or {@code ignoreIndex}
   * @param ignoreIndex the target value of a row to leave out
   * @param labelSmoothing ε, in [0, 1]
   * @param reduction mean over the rows kept, sum, or none
   */
  public Expr crossEntropy(int[] targets, int ignoreIndex, float labelSmoothing, Reduction reduction) {
    return bind(CrossEntropy.apply(tape, variable, targets, ignoreIndex, labelSmoothing, reduction));
  }

  /** {@return the variable, for messages} */
  @Override
  public String toString() {
    return "Expr(" + variable + ")";
  }
}
