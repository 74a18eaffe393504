import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drawTemplate } from '../../../scripts/templates/draw';
import { TEMPLATES } from '../../../scripts/templates/garments';
import { mirrorX } from './geometry/matrix';
import { flatten, transformSegments, type Polyline } from './geometry/path';
import { loadFlat } from './migrations';
import type { FlatView, Segment, Shape } from './schema';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/templates');
const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as { id: string; file: string; category: string }[];
const load = (file: string) => loadFlat(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));

function distanceToPolylines(p: { x: number; y: number }, lines: Polyline[]): number {
  let best = Infinity;
  for (const line of lines) {
    const pts = line.closed ? [...line.points, line.points[0]!] : line.points;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
      best = Math.min(best, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)));
    }
  }
  return best;
}

/** How far the mirror image of a drawing strays from the drawing itself (mm). */
function asymmetry(segments: Segment[], axisX: number): number {
  const own = flatten(segments, 0.02);
  const mirrored = flatten(transformSegments(segments, mirrorX(axisX)), 0.02);
  return Math.max(...mirrored.flatMap((l) => l.points.map((p) => distanceToPolylines(p, own))));
}

const shapes = (v: FlatView) => v.items.filter((i): i is Shape => i.type === 'shape');

describe('garment templates', () => {
  it('cover the ten required categories', () => {
    const categories = new Set(index.map((t) => t.category));
    for (const c of ['t-shirt', 'shirt', 'polo', 'hoodie', 'jacket', 'coat', 'dress', 'skirt', 'trousers', 'shorts']) expect(categories).toContain(c);
  });

  it.each(index.map((t) => [t.id, t.file] as const))('%s is valid, tagged and symmetric', (_id, file) => {
    const doc = load(file);
    const a = doc.attributes;
    for (const key of ['length', 'closure', 'pockets'] as const) expect(a[key], key).not.toBeNull();
    if (!['skirt', 'trousers', 'shorts'].includes(a.category)) {
      expect(a.sleeveLength).not.toBeNull();
      expect(a.neckline).not.toBeNull();
    }
    expect(doc.views.map((v) => v.id)).toEqual(['front', 'back']);
    for (const view of doc.views) {
      expect(view.axisX).not.toBeNull();
      const axis = view.axisX!;
      const panels = shapes(view).filter((s) => s.role === 'panel');
      expect(panels.length).toBeGreaterThan(0);
      for (const panel of panels) expect(asymmetry(panel.segments, axis), `${view.id} ${panel.name}`).toBeLessThan(0.05);
      for (const twin of view.twins) {
        const src = shapes(view).find((s) => s.id === twin.source)!;
        const tgt = shapes(view).find((s) => s.id === twin.target)!;
        const mirrored = transformSegments(src.segments, mirrorX(axis));
        expect(JSON.stringify(tgt.segments)).toBe(JSON.stringify(mirrored));
      }
      // Every drawn line other than the fly is symmetric itself or has a mirrored twin.
      const twinned = new Set(view.twins.flatMap((t) => [t.source, t.target]));
      for (const s of shapes(view))
        if (!twinned.has(s.id)) expect(asymmetry(s.segments, axis), `${view.id} ${s.name}`).toBeLessThan(0.05);
    }
    const front = doc.views[0]!;
    expect(front.items.some((i) => i.type === 'stitch')).toBe(true);
    expect(shapes(front).some((s) => s.role === 'seam')).toBe(true);
  });

  it('are exactly what scripts/templates/make-templates.ts draws', () => {
    expect(TEMPLATES.map((t) => `${t.id}.json`)).toEqual(index.map((t) => t.file));
    for (const spec of TEMPLATES) expect(load(`${spec.id}.json`)).toEqual(loadFlat(JSON.parse(JSON.stringify(drawTemplate(spec)))));
  });
});
