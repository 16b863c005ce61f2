// Typed wrappers over the native indicator kernels (JS allocates the outputs, Rust fills them; NaN = warm-up).
import { native } from './index';

export interface BollingerColumns {
  mid: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

export function bollingerBatch(closes: Float64Array, period: number, k: number): BollingerColumns {
  const out = { mid: new Float64Array(closes.length), upper: new Float64Array(closes.length), lower: new Float64Array(closes.length) };
  native.bollingerBatch(closes, period, k, out.mid, out.upper, out.lower);
  return out;
}

export function rsiBatch(closes: Float64Array, period: number): Float64Array {
  const out = new Float64Array(closes.length);
  native.rsiBatch(closes, period, out);
  return out;
}
