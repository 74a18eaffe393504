import { describe, expect, it } from 'vitest';
import { percentToCrop, straightenedSize } from './crop';

const empty = { left: '', top: '', width: '', height: '' };

describe('the % crop of the import form', () => {
  it('is no crop when every field is empty', () => {
    expect(percentToCrop(empty, null, 0)).toEqual({ crop: null });
  });

  it('maps % of the photo to whole pixels', () => {
    expect(percentToCrop({ left: '10', top: '20', width: '50', height: '40' }, { width: 145, height: 200 }, 0)).toEqual({
      crop: { left: 14, top: 40, width: 72, height: 80 },
    });
  });

  it('measures a straightened photo on its grown canvas, never past its edge', () => {
    const size = straightenedSize(100, 100, 45);
    expect(size).toEqual({ width: 141, height: 141 });
    const result = percentToCrop({ left: '50', top: '50', width: '50', height: '50' }, { width: 100, height: 100 }, -45);
    expect(result).toEqual({ crop: { left: 70, top: 70, width: 70, height: 70 } });
  });

  it('says what is wrong with fields that do not make a crop', () => {
    expect(percentToCrop({ ...empty, left: '10' }, { width: 100, height: 100 }, 0)).toEqual({ error: 'cropNumbers' });
    expect(percentToCrop({ left: '60', top: '0', width: '50', height: '50' }, { width: 100, height: 100 }, 0)).toEqual({ error: 'cropOutside' });
    expect(percentToCrop({ left: '0', top: '0', width: '5', height: '50' }, { width: 100, height: 100 }, 0)).toEqual({ error: 'cropOutside' });
    expect(percentToCrop({ left: '0', top: '0', width: '50', height: '50' }, null, 0)).toEqual({ error: 'cropNeedsSize' });
  });
});
