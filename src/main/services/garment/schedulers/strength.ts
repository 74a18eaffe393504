/**
 * Where image-to-image starts in a schedule of `steps` timesteps, as diffusers'
 * StableDiffusionImg2ImgPipeline.get_timesteps says: it keeps the last min(int(steps x strength), steps)
 * timesteps, so this is the index of the first one kept (every sampler here has order 1).
 * Strength 0.6 over 10 steps keeps 6 and starts at index 4.
 */
export function strengthStartIndex(steps: number, strength: number): number {
  if (!(strength >= 0 && strength <= 1)) throw new RangeError(`strength must be between 0 and 1, got ${strength}`);
  // int() truncates; the product is computed in double like Python's float.
  const kept = Math.min(Math.trunc(steps * strength), steps);
  return Math.max(steps - kept, 0);
}
