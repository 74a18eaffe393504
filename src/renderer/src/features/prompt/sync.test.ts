import { describe, expect, it } from 'vitest';
import { extractPrompt } from '../../../../shared/fabric';
import {
  FIELD_VALUES,
  STRUCTURED_FIELDS,
  detailsOf,
  effectiveValues,
  phraseFor,
  promptLanguage,
  setField,
  structuredValues,
  withDetails,
} from './sync';

const read = (text: string) => structuredValues(extractPrompt(text));

describe('phrases the fields write', () => {
  it('read back as the same value, for every value in both languages', () => {
    for (const field of STRUCTURED_FIELDS) {
      for (const value of FIELD_VALUES[field]) {
        for (const lang of ['en', 'zh'] as const) {
          const phrase = phraseFor(field, value, lang);
          // Alone, and inside a prompt that names the other fields, the phrase says the value.
          expect(read(phrase)[field], `${field} ${value} ${lang}: ${phrase}`).toBe(value);
        }
      }
    }
  });
});

describe('promptLanguage', () => {
  it('is Chinese for any Han character, English for Latin words, the UI language otherwise', () => {
    expect(promptLanguage('藏青色 denim 夹克', 'en')).toBe('zh');
    expect(promptLanguage('navy denim jacket', 'zh')).toBe('en');
    expect(promptLanguage('', 'zh')).toBe('zh');
  });
});

describe('setField: a field change rewrites the text', () => {
  it('replaces the fabric word in English and keeps everything else as typed', () => {
    const text = 'Navy DENIM jacket, long sleeves';
    const next = setField(text, 'fabric', 'corduroy', 'en');
    expect(next).toBe('Navy corduroy jacket, long sleeves');
    expect(read(next)).toEqual({ garment: 'jacket', colour: 'navy', fabric: 'corduroy', fit: null });
  });

  it('replaces the fabric word in Chinese, whatever the UI language', () => {
    const next = setField('藏青色牛仔布长袖衬衫，有口袋', 'fabric', 'linen', 'en');
    expect(next).toBe('藏青色亚麻长袖衬衫，有口袋');
    expect(read(next).fabric).toBe('linen');
  });

  it('rewrites the fibre word when the fabric was inferred from "cotton"', () => {
    const next = setField('white cotton t-shirt', 'fabric', 'linen', 'en');
    expect(next).toBe('white linen t-shirt');
  });

  it('replaces the colour and the garment in both languages', () => {
    expect(setField('navy denim jacket', 'colour', 'burgundy', 'en')).toBe('burgundy denim jacket');
    expect(setField('藏青色牛仔夹克', 'garment', 'coat', 'en')).toBe('藏青色牛仔大衣');
    expect(read(setField('藏青色牛仔夹克', 'colour', 'black', 'en')).colour).toBe('black');
  });

  it('appends an absent attribute as a phrase in the prompt language', () => {
    expect(setField('navy denim jacket', 'fit', 'slim', 'zh')).toBe('navy denim jacket, slim fit');
    expect(setField('藏青色牛仔夹克', 'fit', 'loose', 'en')).toBe('藏青色牛仔夹克，宽松');
    expect(setField('A jacket.', 'colour', 'red', 'en')).toBe('A jacket. red');
    expect(setField('', 'fabric', 'silk', 'zh')).toBe('真丝');
    for (const t of ['navy denim jacket, slim fit', '藏青色牛仔夹克，宽松']) expect(read(t).fit).not.toBeNull();
  });

  it('removes a value with the separator it leaves behind', () => {
    expect(setField('navy denim jacket, slim fit', 'fit', null, 'en')).toBe('navy denim jacket');
    expect(setField('slim fit, navy denim jacket', 'fit', null, 'en')).toBe('navy denim jacket');
    expect(setField('navy denim jacket', 'colour', null, 'en')).toBe('denim jacket');
    expect(setField('藏青色牛仔夹克', 'colour', null, 'en')).toBe('牛仔夹克');
    expect(setField('denim jacket', 'fit', null, 'en')).toBe('denim jacket');
  });

  it('leaves negated words alone: "no denim" is not the fabric', () => {
    expect(setField('jacket, no denim', 'fabric', 'wool', 'en')).toBe('jacket, no denim, wool');
  });
});

describe('details: the rest of the prompt', () => {
  it('holds what the fields do not, in both languages', () => {
    expect(detailsOf('navy denim jacket, long sleeves, two chest pockets')).toBe('long sleeves, two chest pockets');
    expect(detailsOf('藏青色牛仔布长袖衬衫，有口袋')).toBe('长袖，有口袋');
  });

  it('an edited details field keeps the fields and puts them first', () => {
    const next = withDetails('navy denim jacket, long sleeves', 'short sleeves, hood', 'en');
    expect(next).toBe('navy denim jacket, short sleeves, hood');
    expect(read(next)).toEqual({ garment: 'jacket', colour: 'navy', fabric: 'denim', fit: null });
    expect(extractPrompt(next).sleeve).toBe('short');
    expect(withDetails('修身藏青色牛仔夹克，长袖', '短袖', 'en')).toBe('修身藏青牛仔布夹克，短袖');
  });
});

describe('overrides', () => {
  it('win over the extraction, field by field', () => {
    const shown = effectiveValues(read('navy denim jacket'), { fabric: { from: 'denim', to: 'wool' }, colour: { from: 'navy', to: null } });
    expect(shown).toEqual({ garment: 'jacket', colour: null, fabric: 'wool', fit: null });
  });
});
