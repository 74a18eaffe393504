import { describe, expect, it } from 'vitest';
import { FROM_PROMPT, NO_SWATCH, swatchRequest } from './garment-swatch';

const denim = { id: 'sw-denim', category: 'denim' as const };
const linen = { id: 'sw-linen', category: 'linen' as const };

describe('the garment swatch a render is asked for', () => {
  it('follows the prompt until the technician picks: the linked swatch, or none when the prompt links none', () => {
    expect(swatchRequest(FROM_PROMPT, { fabric: 'denim', linkedSwatchId: 'sw-denim' }, null)).toEqual({ swatchId: 'sw-denim' });
    expect(swatchRequest(FROM_PROMPT, { fabric: null, linkedSwatchId: null }, linen)).toEqual({});
  });

  it('a swatch picked by hand wins over the prompt, and says its fabric only where the prompt names none', () => {
    expect(swatchRequest('sw-linen', { fabric: 'denim', linkedSwatchId: 'sw-denim' }, linen)).toEqual({ swatchId: 'sw-linen' });
    expect(swatchRequest('sw-linen', { fabric: null, linkedSwatchId: null }, linen)).toEqual({ swatchId: 'sw-linen', fabric: 'linen' });
    // The category of another swatch (a pick not yet read back) is never sent with this one.
    expect(swatchRequest('sw-linen', { fabric: null, linkedSwatchId: null }, denim)).toEqual({ swatchId: 'sw-linen' });
    expect(swatchRequest('sw-linen', { fabric: null, linkedSwatchId: null }, { id: 'sw-linen', category: null })).toEqual({ swatchId: 'sw-linen' });
  });

  it('"no swatch" renders from the text alone, even when the prompt links one', () => {
    expect(swatchRequest(NO_SWATCH, { fabric: 'denim', linkedSwatchId: 'sw-denim' }, denim)).toEqual({});
  });
});
