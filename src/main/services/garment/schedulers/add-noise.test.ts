import { describe, expect, it } from 'vitest';
import { Golden, maxAbsDiff } from '../testing/golden';
import { schedulerFromPack, strengthStartIndex, type SchedulerName } from './index';
import { SD15_RECIPE_SCHEDULER } from '../testing/img2img';

// tools/models/garment/goldens_img2img.py: diffusers' add_noise of the same init latents at each
// sampler's image-to-image start (strength 0.6 of 10 steps, begin index set as its img2img pipeline does).
interface Meta {
  case: { steps: number; strength: number };
  addNoise: Record<SchedulerName, { timesteps: number[] }>;
}
const golden = new Golden<Meta>('garment_sd15_img2img');
const { steps, strength } = golden.meta.case;

describe.each(Object.keys(golden.meta.addNoise) as SchedulerName[])('%s add_noise against diffusers', (name) => {
  it('keeps the same timesteps and noises the init latents within 1e-6', () => {
    const s = schedulerFromPack(SD15_RECIPE_SCHEDULER, name);
    s.setTimesteps(steps);
    const kept = s.timesteps.slice(strengthStartIndex(steps, strength));
    expect(kept).toEqual(golden.meta.addNoise[name].timesteps);
    const noised = s.addNoise(golden.float32('initLatents'), golden.float32('noise'), kept[0]!);
    expect(maxAbsDiff(noised, golden.float32(`addNoise/${name}`))).toBeLessThanOrEqual(1e-6);
  });
});

describe('strengthStartIndex', () => {
  it('keeps int(steps x strength) timesteps, as diffusers truncates', () => {
    expect(strengthStartIndex(10, 0.6)).toBe(4);
    expect(strengthStartIndex(30, 1)).toBe(0);
    expect(strengthStartIndex(7, 0.5)).toBe(4);
    expect(strengthStartIndex(10, 0.05)).toBe(10);
    expect(() => strengthStartIndex(10, 1.2)).toThrow(/between 0 and 1, got 1.2/);
  });
});
