import { describe, expect, it } from 'vitest';
import type { MotifPlacement } from '../../../../shared/techpack';
import { createI18n } from '../../lib/i18n';
import { placementsLabel, placementsParts } from './placement-label';

const PLACES: MotifPlacement[] = [
  { kind: 'print', name: '云凤纹', flat: '旗袍', view: 'front' },
  { kind: 'print', name: '', flat: '旗袍', view: 'back' },
  { kind: 'fill', repeatCm: 8, panel: '前片', flat: '旗袍', view: 'back' },
];

describe('a motif placement on the tech-pack form', () => {
  it('reads in Chinese with no English word (the sheet prints both languages, the form only the studio’s)', () => {
    const zh = createI18n('zh');
    const text = placementsLabel(zh.t, PLACES);
    expect(text).toBe('定位印花（云凤纹），旗袍 正面；定位印花，旗袍 背面；满版印花，循环 8 cm：前片，旗袍 背面');
    expect(text.replace(/\bcm\b/g, '')).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('reads in English in English', () => {
    const en = createI18n('en');
    expect(placementsLabel(en.t, PLACES)).toBe('Placed print (云凤纹), 旗袍 Front; Placed print, 旗袍 Back; All-over repeat 8 cm: 前片, 旗袍 Back');
  });

  it('keeps the names the technician gave apart from the words, as given, so the screen marks them translate="no"', () => {
    const zh = createI18n('zh');
    const parts = placementsParts(zh.t, [{ kind: 'print', name: 'Cloud <b>{{x}}</b>', flat: 'qipao-front-back', view: 'front' }]);
    expect(parts).toEqual([{ text: '定位印花（' }, { name: 'Cloud <b>{{x}}</b>' }, { text: '），' }, { name: 'qipao-front-back' }, { text: ' 正面' }]);
  });

  it('shows a flat begun from a template under the template’s name in the studio’s language', () => {
    const zh = createI18n('zh');
    const parts = placementsParts(zh.t, [{ kind: 'fill', repeatCm: 10, panel: 'Body', flat: 'T-shirt', view: 'back' }]);
    expect(parts).toContainEqual({ name: zh.t('editor:names.template.t-shirt') });
    expect(parts).toContainEqual({ name: 'Body' });
    expect(parts.filter((p) => 'text' in p).map((p) => ('text' in p ? p.text : '')).join('').replace(/\bcm\b/g, '')).not.toMatch(/[A-Za-z]{2,}/);
  });
});
