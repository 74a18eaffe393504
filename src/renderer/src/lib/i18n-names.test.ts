import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createI18n } from './i18n';
import { KNOWN_NAMES, layerLabel, pomLabel, pomWithCode, templateLabel } from './i18n-names';

const zh = createI18n('zh').t;
const en = createI18n('en').t;
const TEMPLATES = path.resolve(import.meta.dirname, '../../../../resources/templates');

describe('names the studio gives things, shown in the technician language', () => {
  it('shows default layers, drawn measurements and templates in Chinese, keeping numbers and codes', () => {
    expect(layerLabel(zh, 'Outline')).toBe('轮廓');
    expect(layerLabel(zh, 'Drawing 2')).toBe('图稿 2');
    expect(layerLabel(zh, 'Layer 1')).toBe('图层 1');
    expect(pomLabel(zh, 'Measurement P3')).toBe('测量 P3');
    expect(pomLabel(zh, 'Waist width')).toBe('腰宽');
    expect(templateLabel(zh, 'Zip jacket')).toBe('拉链夹克');
  });

  it('shows English names unchanged in English', () => {
    for (const table of Object.values(KNOWN_NAMES))
      for (const name of Object.keys(table)) {
        expect(layerLabel(en, name) === name || pomLabel(en, name) === name || templateLabel(en, name) === name).toBe(true);
      }
    expect(pomLabel(en, 'Measurement P1')).toBe('Measurement P1');
  });

  it('leaves a name the technician typed as typed', () => {
    for (const typed of ['前片 Outline', 'outline', 'Drawing board', '领口', 'Measurement']) {
      expect(layerLabel(zh, typed)).toBe(typed);
      expect(pomLabel(zh, typed)).toBe(typed);
      expect(templateLabel(zh, typed)).toBe(typed);
    }
  });

  it('knows every name the shipped templates carry', () => {
    const index = JSON.parse(fs.readFileSync(path.join(TEMPLATES, 'index.json'), 'utf8')) as { name: string; file: string }[];
    for (const tpl of index) {
      expect(templateLabel(zh, tpl.name), tpl.name).not.toBe(tpl.name);
      const doc = JSON.parse(fs.readFileSync(path.join(TEMPLATES, tpl.file), 'utf8')) as { views: { layers: { name: string }[]; poms?: { name: string }[] }[] };
      for (const view of doc.views) {
        for (const l of view.layers) expect(layerLabel(zh, l.name), l.name).not.toBe(l.name);
        for (const p of view.poms ?? []) expect(pomLabel(zh, p.name), p.name).not.toBe(p.name);
      }
    }
  });
});

describe('a point of measure with its code', () => {
  it('shows a drawn measurement’s code once and a named one’s code beside its name', () => {
    expect(pomWithCode(zh, { code: 'P1', name: 'Measurement P1' })).toEqual({ code: null, name: '测量 P1' });
    expect(pomWithCode(zh, { code: 'P2', name: 'Waist width' })).toEqual({ code: 'P2', name: '腰宽' });
    // A name that only looks drawn keeps its code: "Measurement P1" on P2 is the technician's own.
    expect(pomWithCode(zh, { code: 'P2', name: 'Measurement P1' })).toEqual({ code: 'P2', name: '测量 P1' });
    expect(pomWithCode(en, { code: 'P1', name: 'Measurement P1' })).toEqual({ code: null, name: 'Measurement P1' });
  });
});
