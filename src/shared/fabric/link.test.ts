import { describe, expect, it } from 'vitest';
import { extractPrompt } from './extract';
import { pickSwatch, type SwatchCandidate } from './link';

const project: SwatchCandidate[] = [
  { id: 'sw-linen', name: 'Washed linen', category: 'linen', colourHex: '#D9C8A9' },
  { id: 'sw-denim-light', name: 'Bleached denim', category: 'denim', colourHex: '#A7C7E7' },
  { id: 'sw-denim-raw', name: 'Raw selvedge', category: 'denim', colourHex: '#1F2A44' },
  { id: 'sw-silk', name: 'Crepe de chine', category: 'silk', colourHex: null },
];

describe('pickSwatch', () => {
  it('links the extracted fabric to the project swatch of that category', () => {
    const x = extractPrompt('亚麻衬衫，长袖');
    expect(pickSwatch(x.fabric, project, x.colours)).toEqual({ swatchId: 'sw-linen', fabric: 'linen', reason: 'only-of-category' });
  });

  it('picks the swatch nearest in Lab to the first colour asked for', () => {
    const dark = extractPrompt('navy jeans');
    expect(pickSwatch(dark.fabric, project, dark.colours)).toMatchObject({ swatchId: 'sw-denim-raw', reason: 'nearest-colour' });
    const light = extractPrompt('浅蓝色牛仔短裤');
    expect(pickSwatch(light.fabric, project, light.colours)).toMatchObject({ swatchId: 'sw-denim-light', reason: 'nearest-colour' });
  });

  it('falls back to the first of the category when no colour is asked for', () => {
    expect(pickSwatch('denim', project)).toEqual({ swatchId: 'sw-denim-light', fabric: 'denim', reason: 'first-of-category' });
  });

  it('returns null when the prompt names no fabric or the project has no swatch of it', () => {
    expect(pickSwatch(null, project)).toBeNull();
    expect(pickSwatch('velvet', project)).toBeNull();
    expect(pickSwatch('denim', [])).toBeNull();
  });
});
