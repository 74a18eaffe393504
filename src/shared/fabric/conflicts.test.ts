import { describe, expect, it } from 'vitest';
import { detectConflicts, normaliseFlatAttributes } from './conflicts';

describe('detectConflicts', () => {
  it('says in both languages which variant honours which side', () => {
    const [c, ...rest] = detectConflicts('long sleeve t-shirt', { category: 't-shirt', sleeveLength: 'short' });
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ field: 'sleeve', text: 'long', flat: 'short', imageBiased: 'flat', textBiased: 'text' });
    expect(c!.message.en).toBe(
      'Text asks for long sleeves; the flat has short sleeves. The image-biased variant keeps short sleeves; the text-biased variant follows the text.',
    );
    expect(c!.message.zh).toBe('文字要求长袖；款式图为短袖。图像优先的版本保留短袖；文字优先的版本按文字生成。');
  });

  it('compares every attribute stated on both sides', () => {
    const flat = {
      category: 'jacket',
      sleeveLength: 'long',
      neckline: 'crew neck',
      length: 'cropped',
      closure: 'zip',
      pockets: '2 patch pockets',
      colour: '#1F2A44',
    };
    const conflicts = detectConflicts('红色长款连帽大衣，短袖，纽扣，无口袋', flat);
    expect(conflicts.map((c) => [c.field, c.text, c.flat])).toEqual([
      ['garment', 'coat', 'jacket'],
      ['sleeve', 'short', 'long'],
      ['neckline', 'hood', 'crew'],
      ['length', 'long', 'cropped'],
      ['closure', 'button', 'zip'],
      ['pockets', false, true],
      ['colour', 'red', 'navy'],
    ]);
    expect(conflicts[0]!.message.en).toBe(
      'Text asks for a coat; the flat is a jacket. The image-biased variant keeps the jacket; the text-biased variant follows the text.',
    );
    expect(conflicts[5]!.message.en).toContain('Text asks for no pockets; the flat has pockets.');
    expect(conflicts[6]!.message.en).toContain('the flat is coloured navy');
  });

  it('accepts a fill close to the asked colour even when another name is nearer', () => {
    // #CAB798 lies between beige and khaki, nearer khaki; asked for beige, the flat still agrees.
    expect(normaliseFlatAttributes({ colour: '#CAB798' }).colour).toBe('khaki');
    expect(detectConflicts('beige chinos', { colour: '#CAB798' })).toEqual([]);
    expect(detectConflicts('navy chinos', { colour: '#CAB798' }).map((c) => c.field)).toEqual(['colour']);
  });

  it('finds nothing when the text agrees or is silent', () => {
    const flat = { category: 't-shirt', sleeveLength: 'short', neckline: '圆领', pockets: 'none' };
    expect(detectConflicts('white cotton tee, crew neck, short sleeves, no pockets', flat)).toEqual([]);
    expect(detectConflicts('white cotton', flat)).toEqual([]);
    expect(detectConflicts('long sleeves', {})).toEqual([]);
  });

  it('reads the flat document attributes as they are stored', () => {
    expect(
      normaliseFlatAttributes({ category: 'sweatshirt', sleeveLength: 'cap', neckline: 'V-neck', length: 'knee length', closure: 'buttons', pockets: 'none' }),
    ).toEqual({ garment: 'hoodie', sleeve: 'short', neckline: 'v-neck', length: 'knee', closure: 'button', pockets: false, fit: null, colour: null });
    expect(normaliseFlatAttributes({ category: 'other', sleeveLength: 'none', colour: 'navy' })).toMatchObject({
      garment: null,
      sleeve: 'sleeveless',
      colour: 'navy',
    });
  });
});
