import { describe, expect, it } from 'vitest';
import { AppError } from '../../contract/errors';
import { bounds } from '../geometry/path';
import type { FlatItem, Shape } from '../schema';
import { exportSvg } from './export';
import { importSvg } from './import';

const svg = (body: string, head = 'width="100mm" height="100mm" viewBox="0 0 100 100"') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" ${head}>${body}</svg>`;
const items = (text: string): FlatItem[] => importSvg(text).doc.views[0]!.items;
const only = (text: string): Shape => {
  const all = items(text);
  expect(all).toHaveLength(1);
  expect(all[0]!.type).toBe('shape');
  return all[0] as Shape;
};
const box = (s: { segments: Shape['segments'] }) => {
  const b = bounds(s.segments)!;
  return [b.minX, b.minY, b.maxX, b.maxY].map((n) => Math.round(n * 1000) / 1000);
};

function refused(text: string, message: RegExp): void {
  try {
    importSvg(text);
  } catch (e) {
    expect(AppError.is(e, 'INVALID_INPUT')).toBe(true);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('the SVG was accepted');
}

describe('SVG import: geometry', () => {
  it('maps the viewBox to millimetres', () => {
    const r = importSvg(svg('<rect x="10" y="10" width="10" height="10"/>', 'width="1000" height="500" viewBox="0 0 200 100"'));
    // 1000 px = 264.583 mm over 200 units.
    expect(r.doc.page.width).toBeCloseTo(264.583, 3);
    expect(box(r.doc.views[0]!.items[0] as Shape)).toEqual([13.229, 13.229, 26.458, 26.458]);
  });

  it('reads rect (with rounded corners), circle, ellipse, line, polyline and polygon', () => {
    const all = items(
      svg(
        '<rect x="10" y="10" width="20" height="10" rx="3"/><circle cx="50" cy="50" r="5"/><ellipse cx="80" cy="20" rx="10" ry="4"/>' +
          '<line x1="0" y1="90" x2="30" y2="95" stroke="#000"/><polyline points="40,90 50,80 60,90" fill="none" stroke="red"/><polygon points="70,70 90,70 80,90"/>',
      ),
    ) as Shape[];
    expect(all.map((i) => box(i))).toEqual([
      [10, 10, 30, 20],
      [45, 45, 55, 55],
      [70, 16, 90, 24],
      [0, 90, 30, 95],
      [40, 80, 60, 90],
      [70, 70, 90, 90],
    ]);
    expect(all.map((i) => i.role)).toEqual(['panel', 'panel', 'panel', 'seam', 'seam', 'panel']);
  });

  it('composes nested transforms: matrix, translate, scale, rotate and skew', () => {
    const s = only(
      svg('<g transform="translate(50 0)"><g transform="matrix(1 0 0 1 0 10) scale(2)"><g transform="rotate(90)"><path d="M0 0L5 0"/></g></g></g>'),
    );
    expect(box(s)).toEqual([50, 10, 50, 20]);
    const k = only(svg('<path transform="skewX(45)" d="M0 10L0 20"/>'));
    expect(box(k)).toEqual([10, 10, 20, 20]);
  });

  it('converts arcs to cubics', () => {
    const s = only(svg('<path d="M10 50 A40 40 0 0 1 90 50" fill="none" stroke="#000"/>'));
    expect(s.segments.filter((x) => x.kind === 'C')).toHaveLength(2);
    expect(box(s)).toEqual([10, 10, 90, 50]);
  });

  it('draws <use> of an element and of a symbol where the use puts it', () => {
    const all = items(
      svg('<defs><path id="p" d="M0 0L10 0" stroke="#000"/><symbol id="s"><circle cx="0" cy="0" r="2"/></symbol></defs><use xlink:href="#p" x="5" y="5"/><use href="#s" transform="translate(50 50)"/>'),
    ) as Shape[];
    expect(all.map((i) => box(i))).toEqual([
      [5, 5, 15, 5],
      [48, 48, 52, 52],
    ]);
  });
});

describe('SVG import: styles', () => {
  it('cascades presentation attributes, <style> rules by specificity, style="" and inheritance', () => {
    const all = items(
      svg(
        '<style>path { stroke: #00ff00; stroke-width: 3 } .seam { stroke: #0000ff } g.front > .seam { stroke-dasharray: 20 5 } #special { stroke: #ff0000 !important } a b { fill: pink }</style>' +
          '<g class="front" fill="#123456" stroke-linecap="square"><path class="seam" d="M0 0L10 0" stroke="#999"/><path id="special" d="M0 5L10 5" style="stroke:#777"/>' +
          '<path d="M0 10L10 10" style="stroke-width:0.5;opacity:0.5"/></g>',
      ),
    ) as Shape[];
    expect(all.map((i) => i.style.stroke)).toEqual(['#0000ff', '#ff0000', '#00ff00']);
    expect(all.map((i) => i.style.fill)).toEqual(['#123456', '#123456', '#123456']);
    expect(all.map((i) => i.style.strokeWidth)).toEqual([3, 3, 0.5]);
    expect(all[0]!.style.dash).toEqual([20, 5]);
    expect(all[2]!.style.lineCap).toBe('square');
    expect(all[2]!.style.opacity).toBe(0.5);
  });

  it('turns short dashes on an unfilled line into stitch lines and keeps long dashes as dashed seams', () => {
    const all = items(
      svg('<path d="M0 0L50 0" fill="none" stroke="#000" stroke-dasharray="2 1"/><path d="M0 10L50 10" fill="none" stroke="#000" style="stroke-dasharray:15,1.5,1,1.5"/>'),
    );
    expect(all[0]).toMatchObject({ type: 'stitch', stitch: 'topstitch', stitchLength: 2, spacing: 1 });
    expect(all[1]).toMatchObject({ type: 'shape', role: 'seam', style: { dash: [15, 1.5, 1, 1.5] } });
    expect(exportSvg(importSvg(svg('<path d="M0 0L50 0" fill="none" stroke="#000" stroke-dasharray="2 1"/>')).doc)).toMatch(
      /<path id="stitch-1" class="stitch stitch-topstitch" d="M0 0L50 0" fill="none" stroke="#000000" stroke-width="1" stroke-dasharray="2 1"/,
    );
  });

  it('makes Inkscape layers into layers (hidden ones hidden) and skips display:none', () => {
    const r = importSvg(
      svg('<g inkscape:groupmode="layer" inkscape:label="Outline"><path d="M0 0L1 1" stroke="#000"/></g><g inkscape:groupmode="layer" inkscape:label="Notes" style="display:none"><path d="M0 0L2 2" stroke="#000"/></g><path d="M0 0L3 3" stroke="#000" display="none"/>'),
    );
    const v = r.doc.views[0]!;
    expect(v.layers.map((l) => [l.name, l.visible])).toEqual([
      ['Outline', true],
      ['Notes', false],
    ]);
    expect(v.items).toHaveLength(2);
  });

  it('reports what it approximated or left out', () => {
    const r = importSvg(
      svg('<defs><linearGradient id="g"><stop offset="0" stop-color="#ff0000"/></linearGradient></defs><path d="M0 0L10 0L10 10Z" fill="url(#g)"/><image href="data:image/png;base64,AAAA" width="5" height="5"/><text x="5" y="5">Topstitch <tspan>6 mm</tspan></text>'),
    );
    expect((r.doc.views[0]!.items[0] as Shape).style.fill).toBe('#ff0000');
    expect(r.doc.views[0]!.items[1]).toMatchObject({ type: 'callout', text: 'Topstitch 6 mm' });
    expect(r.report.approximated.map((a) => a.what)).toEqual(['fill gradient drawn as a flat colour', 'text kept as a callout (typography simplified)']);
    expect(r.report.dropped).toEqual([{ what: '<image>', count: 1 }]);
  });
});

describe('SVG import: hostile and broken input', () => {
  it('refuses DOCTYPE and entity declarations (billion laughs)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>`;
    refused(lol, /DOCTYPE or entities/);
    refused('<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>', /not well-formed XML.*undefined entity/);
  });

  it('refuses outside references, scripts and event attributes', () => {
    refused(svg('<image href="http://example.com/a.png" width="1" height="1"/>'), /outside resource \("http:\/\/example.com\/a.png"/);
    refused(svg('<use xlink:href="file:///etc/passwd#x"/>'), /outside resource/);
    refused(svg('<a href="javascript:alert(1)"><path d="M0 0L1 1"/></a>'), /javascript: link/);
    refused(svg('<script>alert(1)</script>'), /<script>/);
    refused(svg('<path d="M0 0L1 1" onclick="alert(1)"/>'), /event handler attribute \(onclick/);
    refused(svg('', 'onload="alert(1)"'), /event handler/);
    refused(svg('<style>@import url(http://evil/x.css);</style>'), /outside resource \(@import or url\(\)\)/);
  });

  it('refuses outside URLs as paint: an attribute, a style attribute, and a CSS-escaped url() in <style>', () => {
    const shape = '<path d="M0 0L10 0L10 10Z"';
    refused(svg(`${shape} fill="url(http://example.com/p.svg#x)"/>`), /outside resource \(fill: url\(http:\/\/example\.com\/p\.svg#x\) on <path>\); only references inside the file/);
    refused(svg(`${shape} style="fill:url('http://example.com/p.svg#x')"/>`), /outside resource \(fill: url\(http:\/\/example\.com\/p\.svg#x\) on <path>\)/);
    refused(svg(`<style>.a { fill: u\\72l(http://example.com/p.svg#x) }</style>${shape} class="a"/>`), /stylesheet refers to an outside resource/);
    // The same escape in a style attribute, and an outside URL in a gradient stop or a filter.
    refused(svg(`${shape} style="fill:u\\72l(http://example.com/p.svg#x)"/>`), /outside resource \(fill: url\(http:/);
    refused(svg(`<linearGradient id="g"><stop stop-color="url(http://example.com/c)"/></linearGradient>${shape} fill="url(#g)"/>`), /outside resource \(stop-color/);
    refused(svg(`${shape} filter="url(https://example.com/f.svg#blur)"/>`), /outside resource \(filter: url\(https:/);
  });

  it('keeps colours as parsed hex, never the text of the file', () => {
    const fills = items(
      svg(
        '<path d="M0 0L9 0L9 9Z" fill="rgb(255, 0, 51)" stroke="Navy"/>' +
          '<path d="M0 0L9 0L9 9Z" style="fill:hsl(120,100%,25%) ; stroke: #ABC icc-color(x, 0.1)"/>' +
          '<path d="M0 0L9 0L9 9Z" fill="url(#missing) red" color="blue" stroke="currentColor"/>' +
          '<path d="M0 0L9 0L9 9Z" fill="expression(alert(1))"/>',
      ),
    ).map((i) => (i as Shape).style);
    expect(fills.map((st) => [st.fill, st.stroke])).toEqual([
      ['#ff0033', '#000080'],
      ['#008000', '#aabbcc'],
      ['#ff0000', '#0000ff'],
      // Not a colour: ignored, so the fill is inherited (SVG's initial black).
      ['#000000', null],
    ]);
  });

  it('refuses a page no flat has (width or viewBox 1e30, or a pin-head), naming the limits', () => {
    refused(svg('<path d="M0 0L1 1"/>', 'width="1e30" height="100"'), /page is 2\.65e\+29 mm × 2\.646 cm; a flat's page is 1 cm to 100 m on each side/);
    refused(svg('<path d="M0 0L1 1"/>', 'viewBox="0 0 1e30 1e30"'), /page is 2\.65e\+29 mm × 2\.65e\+29 mm; a flat's page is 1 cm to 100 m/);
    refused(svg('<path d="M0 0L1 1"/>', 'width="1mm" height="1mm"'), /page is 1 mm × 1 mm/);
    // A drawing in a huge viewBox on a real page is only scaled down: the page is what counts.
    expect(importSvg(svg('<path d="M0 0L1e30 1e30"/>', 'width="100mm" height="100mm" viewBox="0 0 1e30 1e30"')).doc.page).toEqual({ width: 100, height: 100 });
  });

  it('refuses huge files before parsing them', () => {
    const huge = svg(`<!--${'x'.repeat(50 * 1024 * 1024)}-->`);
    refused(huge, /is 50\.0 MB; the largest accepted is 10\.0 MB/);
  });

  it('caps nesting depth, element count, <use> expansion and path size', () => {
    refused(svg(`${'<g>'.repeat(5000)}${'</g>'.repeat(5000)}`), /deeper than 64 levels/);
    refused(svg('<path d="M0 0L1 1"/>'.repeat(60_000)), /more than 50000 elements/);
    // Each level uses the previous one ten times: 10^6 paths if expanded.
    let defs = '<path id="l0" d="M0 0L1 1"/>';
    for (let k = 1; k <= 6; k++) defs += `<g id="l${k}">${Array.from({ length: 10 }, () => `<use href="#l${k - 1}"/>`).join('')}</g>`;
    refused(svg(`<defs>${defs}</defs><use href="#l6"/>`), /expands to more than 50000 elements/);
    refused(svg('<g id="a"><use href="#a"/></g>'), /nests <use> references deeper than 8/);
    refused(svg(`<path d="M0 0${' L1 1'.repeat(600_000)}"/>`), /more than 500000 path segments/);
  });

  it('refuses what is not an SVG', () => {
    refused('<html><body/></html>', /root element is <html>/);
    refused('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', /not well-formed/);
    refused('just text', /not well-formed|no SVG element/);
  });

  it('keeps going past a malformed path, and says so', () => {
    const r = importSvg(svg('<path d="M0 0 L 1"/><path d="M0 0L5 5" stroke="#000"/>'));
    expect(r.doc.views[0]!.items).toHaveLength(1);
    expect(r.report.dropped[0]!.what).toMatch(/malformed data/);
  });
});
