import { describe, expect, it } from 'vitest';
import { isFlatColour, migrateColour, parseCssColour } from './colour';
import { loadFlat } from './migrations';
import { FLAT_SCHEMA_VERSION, type FlatItem } from './schema';
import { sampleFlat } from './testing/fixtures';

type Loose = { schemaVersion: number; views: { items: Record<string, unknown>[] }[] };
const plain = (v: unknown): Loose => JSON.parse(JSON.stringify(v)) as Loose;

describe('parseCssColour', () => {
  it('reads hex, names, rgb() and hsl() in their CSS forms, as #rrggbb or #rrggbbaa', () => {
    expect(parseCssColour('#ABC')).toBe('#aabbcc');
    expect(parseCssColour(' #1F2a44 ')).toBe('#1f2a44');
    expect(parseCssColour('#11223380')).toBe('#11223380');
    expect(parseCssColour('#123f')).toBe('#112233');
    expect(parseCssColour('Navy')).toBe('#000080');
    expect(parseCssColour('transparent')).toBe('#00000000');
    expect(parseCssColour('rgb(255, 0, 51)')).toBe('#ff0033');
    expect(parseCssColour('rgb(100% 50% 0% / 50%)')).toBe('#ff800080');
    expect(parseCssColour('rgba(0,0,0,0.5)')).toBe('#00000080');
    expect(parseCssColour('hsl(120, 100%, 25%)')).toBe('#008000');
    expect(parseCssColour('hsl(0.5turn 100% 50%)')).toBe('#00ffff');
  });

  it('gives null for what is not a colour', () => {
    for (const junk of ['url(http://example.com/x.svg#p)', "url('#g')", 'currentColor', 'inherit', 'rgb(1,2)', '#12345', 'expression(alert(1))', 'reddish', ''])
      expect(parseCssColour(junk)).toBeNull();
  });
});

describe('the flat document colour', () => {
  it('is hex, a lower-case name, url(#id) or none; never an outside URL or a function', () => {
    for (const ok of ['#fff', '#FFFFFF', '#11223380', 'navy', 'url(#fabric-0)', 'none']) expect(isFlatColour(ok)).toBe(true);
    for (const bad of ['url(http://example.com/p.svg#x)', 'url(#a) red', "url('#a')", 'rgb(1,2,3)', 'NAVY', 'currentColor', 'javascript:x'])
      expect(isFlatColour(bad)).toBe(false);
  });

  it('refuses a document that carries an outside URL as a colour, naming where', () => {
    const doc = plain(sampleFlat());
    (doc.views[0]!.items[0]!.style as Record<string, unknown>).fill = 'url(http://example.com/p.svg#x)';
    expect(() => loadFlat(doc)).toThrow(/views\.0\.items\.0\.style\.fill: A colour is #rrggbb/);
  });
});

describe('migration to parsed colours', () => {
  function v3With(colours: { fill: string; stroke: string; trim: string; callout: string }): Loose {
    const doc = plain(sampleFlat());
    doc.schemaVersion = 3;
    const items = doc.views[0]!.items;
    Object.assign(items[0]!.style as object, { fill: colours.fill, stroke: colours.stroke });
    items[4]!.colour = colours.trim;
    items[5]!.colour = colours.callout;
    return doc;
  }

  it('keeps valid colours, writes other CSS colours in hex and turns outside URLs into the black they were drawn as', () => {
    const v3 = v3With({ fill: 'url(http://example.com/p.svg#x)', stroke: 'rgb(255, 0, 0)', trim: '#ABCDEF', callout: 'Red' });
    const before = JSON.stringify(v3);
    const doc = loadFlat(v3);
    expect(doc.schemaVersion).toBe(FLAT_SCHEMA_VERSION);
    const [panel, , , , trim, callout] = doc.views[0]!.items as [FlatItem, FlatItem, FlatItem, FlatItem, FlatItem, FlatItem];
    expect(panel.type === 'shape' && panel.style).toMatchObject({ fill: '#000000', stroke: '#ff0000' });
    expect(trim.type === 'trim' && trim.colour).toBe('#ABCDEF');
    expect(callout.type === 'callout' && callout.colour).toBe('#ff0000');
    expect(JSON.stringify(v3)).toBe(before); // the stored document is not mutated
  });

  it('changes nothing else: a v3 document with valid colours comes up equal to the current one', () => {
    const v3 = plain(sampleFlat());
    v3.schemaVersion = 3;
    expect(loadFlat(v3)).toEqual(sampleFlat());
    expect(migrateColour('none')).toBe('none');
  });
});
