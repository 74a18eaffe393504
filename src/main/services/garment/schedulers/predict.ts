import type { SchedulerConfig } from './config';

const f32 = Math.fround;

/**
 * x0 and epsilon from a model output at cumulative alpha `a`, in float32 op by op as diffusers'
 * DDIM and LCM do (clipping applied to x0 where the config asks).
 */
export function predictOriginal(
  config: SchedulerConfig,
  a: number,
  modelOutput: Float32Array,
  sample: Float32Array,
): { original: Float32Array; epsilon: Float32Array } {
  const b = f32(1 - a);
  const sqrtA = f32(Math.sqrt(a));
  const sqrtB = f32(Math.sqrt(b));
  const n = sample.length;
  if (modelOutput.length !== n) throw new Error(`model output has ${modelOutput.length} values, the sample ${n}`);
  const original = new Float32Array(n);
  const epsilon = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = sample[i]!;
    const m = modelOutput[i]!;
    if (config.prediction_type === 'epsilon') {
      original[i] = f32(x - f32(sqrtB * m)) / sqrtA;
      epsilon[i] = m;
    } else if (config.prediction_type === 'sample') {
      original[i] = m;
      epsilon[i] = f32(x - f32(sqrtA * m)) / sqrtB;
    } else {
      original[i] = f32(sqrtA * x) - f32(sqrtB * m);
      epsilon[i] = f32(sqrtA * m) + f32(sqrtB * x);
    }
  }
  if (config.clip_sample) {
    const r = config.clip_sample_range;
    for (let i = 0; i < n; i++) original[i] = Math.min(r, Math.max(-r, original[i]!));
  }
  return { original, epsilon };
}

/**
 * The forward process at cumulative alpha `a`: sqrt(a) x + sqrt(1 - a) noise, in float32 as diffusers'
 * DDIM and LCM add_noise do (image-to-image starts from the init latents noised this way).
 */
export function noisedAt(a: number, original: Float32Array, noise: Float32Array): Float32Array {
  if (noise.length !== original.length) throw new Error(`noise has ${noise.length} values, the sample ${original.length}`);
  const sqrtA = f32(Math.sqrt(a));
  const sqrtB = f32(Math.sqrt(f32(1 - a)));
  return original.map((x, k) => f32(sqrtA * x) + f32(sqrtB * noise[k]!));
}
