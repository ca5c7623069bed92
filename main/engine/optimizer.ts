/**
 * Adam with weight decay, written out so its state can be checkpointed exactly and the decay mode chosen:
 *  coupled (paper, PyTorch `Adam(weight_decay=λ)`): g ← g + λ·w before the moment updates
 *      (the same as adding λ/2·‖w‖² to the loss);
 *  decoupled (AdamW, PyTorch `AdamW`): w ← w·(1 − lr·λ) before the Adam update.
 * Update (PyTorch form): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 *  w ← w − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε). Decay applies to every trainable weight.
 */
import * as tf from '@tensorflow/tfjs';

export interface OptimizerConfig {
  learningRate: number;
  weightDecay: number;
  /** false: coupled L2 (paper); true: decoupled (AdamW). */
  decoupled: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Serialisable optimizer state: step count and both moments per variable, in variable order. */
export interface OptimizerState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

export class AdamOptimizer {
  learningRate: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private stepCount = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    readonly variables: tf.Variable[],
    cfg: OptimizerConfig,
  ) {
    if (!(cfg.learningRate > 0)) throw new Error(`optimizer: learningRate must be > 0, got ${cfg.learningRate}`);
    if (!(cfg.weightDecay >= 0)) throw new Error(`optimizer: weightDecay must be ≥ 0, got ${cfg.weightDecay}`);
    this.learningRate = cfg.learningRate;
    this.weightDecay = cfg.weightDecay;
    this.decoupled = cfg.decoupled;
    this.beta1 = cfg.beta1 ?? 0.9;
    this.beta2 = cfg.beta2 ?? 0.999;
    this.epsilon = cfg.epsilon ?? 1e-8;
    this.m = variables.map((w) => zeroVariable(w));
    this.v = variables.map((w) => zeroVariable(w));
  }

  get step(): number {
    return this.stepCount;
  }

  /** One update; `grads[i]` is the gradient of `variables[i]` (the caller disposes the gradients). */
  applyGradients(grads: tf.Tensor[]): void {
    if (grads.length !== this.variables.length) {
      throw new Error(`optimizer: got ${grads.length} gradients for ${this.variables.length} variables`);
    }
    this.stepCount += 1;
    const t = this.stepCount;
    const { beta1, beta2, epsilon, learningRate: lr, weightDecay: wd } = this;
    const stepSize = lr / (1 - beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - beta2 ** t);
    tf.tidy(() => {
      this.variables.forEach((w, i) => {
        let g = grads[i];
        let base: tf.Tensor = w;
        if (wd > 0 && !this.decoupled) g = tf.add(g, tf.mul(w, wd));
        if (wd > 0 && this.decoupled) base = tf.mul(w, 1 - lr * wd);
        const m = tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBias2), epsilon);
        w.assign(tf.sub(base, tf.mul(tf.div(m, denom), stepSize)));
      });
    });
  }

  /** Copy of the state (reads every moment: once per epoch for the checkpoint, never per step). */
  getState(): OptimizerState {
    return {
      step: this.stepCount,
      m: this.m.map((t) => Float32Array.from(t.dataSync() as Float32Array)),
      v: this.v.map((t) => Float32Array.from(t.dataSync() as Float32Array)),
    };
  }

  setState(state: OptimizerState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) {
      throw new Error(`optimizer: state has ${state.m.length} moments, model has ${this.m.length} variables`);
    }
    this.stepCount = state.step;
    tf.tidy(() => {
      this.m.forEach((t, i) => t.assign(tensorLike(state.m[i], t)));
      this.v.forEach((t, i) => t.assign(tensorLike(state.v[i], t)));
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(like);
  const v = tf.variable(zeros, false);
  zeros.dispose();
  return v;
}

function tensorLike(values: Float32Array, like: tf.Tensor): tf.Tensor {
  if (values.length !== like.size) throw new Error(`optimizer: state array of ${values.length} values for a tensor of ${like.size}`);
  return tf.tensor(values, like.shape, 'float32');
}

/** The trainable variables of a layers model, in a stable order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export function createOptimizer(model: tf.LayersModel, cfg: OptimizerConfig): AdamOptimizer {
  return new AdamOptimizer(trainableVariables(model), cfg);
}
