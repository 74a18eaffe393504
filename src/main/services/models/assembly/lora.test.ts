import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../shared/contract';
import { planLora } from './lora';
import { SafetensorsFile } from './safetensors';
import { seededValues, tempDir, writeSafetensors, type TwinTensor } from './test-kit';
import { WeightSource } from './weight-source';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

const LINEAR = 'model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight';
const CONV = 'model.diffusion_model.input_blocks.1.0.in_layers.2.weight';
const OTHER = 'model.diffusion_model.out.2.weight';
const base: Record<string, TwinTensor> = {
  [LINEAR]: { dtype: 'F32', shape: [6, 5], values: seededValues(30, 1) },
  [CONV]: { dtype: 'F16', shape: [4, 3, 3, 3], values: seededValues(108, 2) },
  [OTHER]: { dtype: 'F32', shape: [2, 2], values: seededValues(4, 3) },
};
const targets = { lora_unet_attn2_to_k: LINEAR, lora_unet_in_layers_2: CONV };

async function files(lora: Record<string, TwinTensor>): Promise<{ into: SafetensorsFile; lora: SafetensorsFile }> {
  const into = await SafetensorsFile.open(writeSafetensors(path.join(dir, `${n++}-base.safetensors`), base));
  const loraFile = await SafetensorsFile.open(writeSafetensors(path.join(dir, `${n++}-lora.safetensors`), lora));
  return { into, lora: loraFile };
}

/** W + scale * alpha / r * (U @ D) with every product in float64: the formula, element by element, summed in rank order. */
function reference(w: Float32Array, up: Float32Array, down: Float32Array, out: number, r: number, scale: number, alpha: number): number[] {
  const cols = w.length / out;
  return Array.from(w, (value, i) => {
    const o = Math.floor(i / cols);
    const j = i % cols;
    let sum = 0;
    for (let k = 0; k < r; k++) sum += up[o * r + k]! * down[k * cols + j]!;
    return Math.fround(value + scale * (alpha / r) * sum);
  });
}

/** Largest distance in float32 steps: the merge may sum in another order than the reference. */
function maxUlps(got: Float32Array, want: number[]): number {
  const a = new Int32Array(got.buffer, got.byteOffset, got.length);
  const b = new Int32Array(Float32Array.from(want).buffer);
  return Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));
}

const loraTensors = (): Record<string, TwinTensor> => ({
  'lora_unet_attn2_to_k.lora_down.weight': { dtype: 'F32', shape: [2, 5], values: seededValues(10, 4) },
  'lora_unet_attn2_to_k.lora_up.weight': { dtype: 'F32', shape: [6, 2], values: seededValues(12, 5) },
  'lora_unet_attn2_to_k.alpha': { dtype: 'F32', shape: [], values: [0.5] },
  'lora_unet_in_layers_2.lora_down.weight': { dtype: 'F16', shape: [3, 3, 3, 3], values: seededValues(81, 6) },
  'lora_unet_in_layers_2.lora_up.weight': { dtype: 'BF16', shape: [4, 3, 1, 1], values: seededValues(12, 7) },
});

describe('LoRA merge', () => {
  it('adds scale * alpha/rank * up @ down to linear and 3x3 conv weights (alpha defaults to the rank)', async () => {
    const { into, lora } = await files(loraTensors());
    try {
      const source = new WeightSource('checkpoint', into);
      source.addLora(planLora({ file: lora, scale: 0.75 }, into, targets));
      const linear = reference(
        await into.readFloat32(LINEAR),
        await lora.readFloat32('lora_unet_attn2_to_k.lora_up.weight'),
        await lora.readFloat32('lora_unet_attn2_to_k.lora_down.weight'),
        6,
        2,
        0.75,
        0.5,
      );
      expect(maxUlps(await source.readFloat32(LINEAR), linear)).toBeLessThanOrEqual(1);
      const conv = reference(
        await into.readFloat32(CONV),
        await lora.readFloat32('lora_unet_in_layers_2.lora_up.weight'),
        await lora.readFloat32('lora_unet_in_layers_2.lora_down.weight'),
        4,
        3,
        0.75,
        3,
      );
      const merged = await source.readFloat32(CONV);
      expect(maxUlps(merged, conv)).toBeLessThanOrEqual(1);
      expect(maxUlps(merged, Array.from(await into.readFloat32(CONV)))).toBeGreaterThan(1000);
      expect(source.isMerged(CONV) && !source.isMerged(OTHER)).toBe(true);
    } finally {
      await Promise.all([into.close(), lora.close()]);
    }
  });

  it('reads a LoRA module only when the weight it changes is read', async () => {
    const { into, lora } = await files(loraTensors());
    try {
      const source = new WeightSource('checkpoint', into);
      source.addLora(planLora({ file: lora, scale: 1 }, into, targets));
      const reads = vi.spyOn(lora, 'readFloat32');
      await source.readFloat32(OTHER);
      expect(reads).not.toHaveBeenCalled();
      await source.readFloat32(LINEAR);
      expect(reads.mock.calls.map(([key]) => key).sort()).toEqual([
        'lora_unet_attn2_to_k.alpha',
        'lora_unet_attn2_to_k.lora_down.weight',
        'lora_unet_attn2_to_k.lora_up.weight',
      ]);
    } finally {
      await Promise.all([into.close(), lora.close()]);
    }
  });
});

describe('a long merge', () => {
  it('lets the event loop run while it computes', async () => {
    const key = 'model.diffusion_model.middle_block.0.in_layers.2.weight';
    const into = await SafetensorsFile.open(writeSafetensors(path.join(dir, `${n++}-big.safetensors`), { [key]: { dtype: 'F16', shape: [512, 512, 3, 3] } }));
    const lora = await SafetensorsFile.open(
      writeSafetensors(path.join(dir, `${n++}-big-lora.safetensors`), {
        'lora_unet_mid_block_resnets_0_conv1.lora_down.weight': { dtype: 'F16', shape: [64, 512, 3, 3], values: seededValues(64 * 512 * 9, 8) },
        'lora_unet_mid_block_resnets_0_conv1.lora_up.weight': { dtype: 'F16', shape: [512, 64, 1, 1], values: seededValues(512 * 64, 9) },
      }),
    );
    try {
      const source = new WeightSource('checkpoint', into);
      source.addLora(planLora({ file: lora, scale: 1 }, into, { lora_unet_mid_block_resnets_0_conv1: key }));
      // A task that re-queues itself runs whenever the event loop gets a turn; the longest time it had to
      // wait is how long the merge held the loop at once.
      let last = performance.now();
      let longestWait = 0;
      let ticking = true;
      const tick = () => {
        longestWait = Math.max(longestWait, performance.now() - last);
        last = performance.now();
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const start = performance.now();
      await source.readFloat32(key);
      ticking = false;
      longestWait = Math.max(longestWait, performance.now() - last);
      const took = performance.now() - start;
      // 151 M multiply-adds in ~20 ms slices: never one block of half the merge, let alone all of it.
      expect(took).toBeGreaterThan(100);
      expect(longestWait).toBeLessThan(took / 2);
    } finally {
      await Promise.all([into.close(), lora.close()]);
    }
  });
});

describe('LoRA planning refuses what it cannot place', () => {
  async function planError(lora: Record<string, TwinTensor>, map: Record<string, string> = targets): Promise<AppError> {
    const f = await files(lora);
    try {
      planLora({ file: f.lora, scale: 1 }, f.into, map);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('MODEL_INVALID');
      return err as AppError;
    } finally {
      await Promise.all([f.into.close(), f.lora.close()]);
    }
    throw new Error('expected a refusal');
  }

  it('names modules with no target, the first ten and a count', async () => {
    const lora = loraTensors();
    for (let i = 0; i < 12; i++) {
      lora[`lora_te_text_model_encoder_layers_${i}_mlp_fc1.lora_down.weight`] = { dtype: 'F32', shape: [1, 5] };
      lora[`lora_te_text_model_encoder_layers_${i}_mlp_fc1.lora_up.weight`] = { dtype: 'F32', shape: [6, 1] };
    }
    const err = await planError(lora);
    expect(err.message).toMatch(/has LoRA modules with no target weight \(12\): lora_te_text_model_encoder_layers_0_mlp_fc1, .* and 2 more\./);
  });

  it('names tensors that are not lora_down, lora_up or alpha', async () => {
    const err = await planError({ ...loraTensors(), 'lora_unet_attn2_to_k.dora_scale': { dtype: 'F32', shape: [6, 1] } });
    expect(err.message).toMatch(/has tensors a kohya LoRA merge does not know \(1\): lora_unet_attn2_to_k\.dora_scale\./);
  });

  it('names a module whose shapes do not fit its target, with all three shapes', async () => {
    const lora = loraTensors();
    lora['lora_unet_attn2_to_k.lora_down.weight'] = { dtype: 'F32', shape: [2, 7] };
    const err = await planError(lora);
    expect(err.message).toContain(`LoRA module lora_unet_attn2_to_k: lora_down [2, 7] and lora_up [6, 2] do not fit ${LINEAR} [6, 5].`);
  });

  it('names a module that lacks its up half', async () => {
    const lora = loraTensors();
    delete lora['lora_unet_in_layers_2.lora_up.weight'];
    const err = await planError(lora);
    expect(err.message).toContain('LoRA module lora_unet_in_layers_2 lacks its lora_up.weight.');
  });

  it('names a target the base file does not have', async () => {
    const err = await planError(loraTensors(), { ...targets, lora_unet_in_layers_2: 'model.diffusion_model.gone.weight' });
    expect(err.message).toContain('targets model.diffusion_model.gone.weight, which');
  });
});
