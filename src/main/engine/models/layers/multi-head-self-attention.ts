// Multi-head self-attention with a key padding mask, as PyTorch's nn.MultiheadAttention inside AnomalyCLR's
// TransformerEncoderLayer (physics.md §5.2): one packed input projection d → 3d (q | k | v, each split into
// `heads` contiguous chunks of d / heads), scaled dot-product attention in which padded objects are never
// attended to, dropout on the attention weights, and an output projection d → d. TF.js layers has no such
// layer. Inputs [x (B, N, d), mask (B, N)] with mask 1 for an object and 0 for an empty slot.
import * as tf from '@tensorflow/tfjs-core';
import { initializers, layers, type LayerVariable, type Shape } from '@tensorflow/tfjs-layers';
import { seededDropout } from './seeded-dropout';

type LayerArgs = { name?: string };

/** Added to the scores of padded keys: exp of it underflows to exactly 0, and a row of padded keys stays finite. */
const MASKED_SCORE = -1e9;

export interface MultiHeadSelfAttentionArgs extends LayerArgs {
  heads: number;
  /** Dropout rate on the attention weights while training. */
  dropout: number;
  seed: number;
}

export class MultiHeadSelfAttention extends layers.Layer {
  static readonly className = 'AwbMultiHeadSelfAttention';
  readonly heads: number;
  readonly dropout: number;
  readonly seed: number;
  private readonly counter = { calls: 0 };
  private qkvKernel: LayerVariable | null = null;
  private qkvBias: LayerVariable | null = null;
  private outKernel: LayerVariable | null = null;
  private outBias: LayerVariable | null = null;

  constructor(args: MultiHeadSelfAttentionArgs) {
    super(args);
    this.heads = args.heads;
    this.dropout = args.dropout;
    this.seed = args.seed;
  }

  build(inputShape: Shape | Shape[]): void {
    const d = (inputShape as Shape[])[0][2];
    if (d == null || d % this.heads !== 0) {
      throw new Error(`multi-head attention ${this.name}: model dim ${d} is not a multiple of ${this.heads} heads`);
    }
    const glorot = (offset: number) => initializers.glorotUniform({ seed: this.seed + offset });
    this.qkvKernel = this.addWeight('qkv_kernel', [d, 3 * d], 'float32', glorot(1));
    this.qkvBias = this.addWeight('qkv_bias', [3 * d], 'float32', initializers.zeros());
    this.outKernel = this.addWeight('out_kernel', [d, d], 'float32', glorot(2));
    this.outBias = this.addWeight('out_bias', [d], 'float32', initializers.zeros());
    this.built = true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0];
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const [x, mask] = inputs as tf.Tensor[];
    const training = kwargs.training === true;
    return tf.tidy(() => {
      const [b, n, d] = x.shape;
      const hd = d / this.heads;
      const flat = tf.reshape(x, [b * n, d]);
      // Slicing the packed weights rather than the projected activations keeps the slices small.
      const kernels = tf.split(this.qkvKernel!.read(), 3, 1);
      const biases = tf.split(this.qkvBias!.read(), 3, 0);
      const [q, k, v] = [0, 1, 2].map((i) => {
        const projected = tf.add(tf.matMul(flat, kernels[i]), biases[i]); // (B·N, d) → (B, heads, N, hd)
        return tf.transpose(tf.reshape(projected, [b, n, this.heads, hd]), [0, 2, 1, 3]);
      });
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(hd));
      const keyMask = tf.reshape(tf.mul(tf.sub(1, mask), MASKED_SCORE), [b, 1, 1, n]);
      const weights = seededDropout(tf.softmax(tf.add(scores, keyMask)), this.dropout, this.seed, this.counter, training);
      const heads = tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]); // (B, N, heads, hd)
      const out = tf.add(tf.matMul(tf.reshape(heads, [b * n, d]), this.outKernel!.read()), this.outBias!.read());
      return tf.reshape(out, [b, n, d]);
    });
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, dropout: this.dropout, seed: this.seed };
  }
}
tf.serialization.registerClass(MultiHeadSelfAttention);
