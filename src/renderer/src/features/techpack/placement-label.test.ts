import { describe, expect, it } from 'vitest';
import type { MotifPlacement } from '../../../../shared/techpack';
import { createI18n } from '../../lib/i18n';
import { placementsLabel } from './placement-label';

const PLACES: MotifPlacement[] = [
  { kind: 'print', name: '云凤纹', flat: '旗袍', view: 'front' },
  { kind: 'print', name: '', flat: '旗袍', view: 'back' },
  { kind: 'fill', repeatCm: 8, panel: '前片', flat: '旗袍', view: 'back' },
];

describe('a motif placement on the tech-pack form', () => {
  it('reads in Chinese with no English word (the sheet prints both languages, the form only the studio’s)', () => {
    const zh = createI18n('zh');
    const text = placementsLabel(zh.t, PLACES);
    expect(text).toBe('定位印花（云凤纹），旗袍 正面；定位印花，旗袍 背面；满版印花，循环 8 厘米：前片，旗袍 背面');
    expect(text).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('reads in English in English', () => {
    const en = createI18n('en');
    expect(placementsLabel(en.t, PLACES)).toBe('Placed print (云凤纹), 旗袍 Front; Placed print, 旗袍 Back; All-over repeat 8 cm: 前片, 旗袍 Back');
  });
});
