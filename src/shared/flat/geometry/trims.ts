import type { Trim } from '../schema';
import type { Drawing, Mark, Pen } from './marks';

const WHITE = '#ffffff';

/**
 * What a trim looks like on a flat, at its true size: drawn about its own centre and placed at `at`,
 * turned by its rotation; a zipper laid along a path is drawn on the path itself.
 */
export function trimDrawing(trim: Trim): Drawing {
  const r = trim.size / 2;
  const c = trim.colour;
  // A hairline floor, so a tiny trim's outline still prints.
  const pen: Pen = { colour: c, width: Math.max(trim.size * 0.06, 0.2), dash: null };
  const placed = (marks: Mark[]): Drawing => ({ placement: { at: trim.at, rotation: trim.rotation }, marks });
  switch (trim.trim) {
    case 'button': {
      const h = r * 0.25;
      const holes = ([[-1, -1], [1, -1], [-1, 1], [1, 1]] as const).map(
        ([dx, dy]): Mark => ({ kind: 'circle', centre: { x: dx * h, y: dy * h }, r: r * 0.1, fill: c, pen: null }),
      );
      return placed([{ kind: 'circle', centre: { x: 0, y: 0 }, r, fill: WHITE, pen }, ...holes]);
    }
    case 'rivet':
    case 'snap':
    case 'eyelet':
      return placed([
        { kind: 'circle', centre: { x: 0, y: 0 }, r, fill: trim.trim === 'eyelet' ? null : WHITE, pen },
        { kind: 'circle', centre: { x: 0, y: 0 }, r: r * 0.45, fill: trim.trim === 'snap' ? c : null, pen },
      ]);
    case 'label': {
      const marks: Mark[] = [{ kind: 'rect', x: -r, y: -r / 2, width: trim.size, height: r, fill: WHITE, pen }];
      if (trim.text) marks.push({ kind: 'text', at: { x: 0, y: r * 0.15 }, text: trim.text, fontSize: r * 0.5, fill: c });
      return placed(marks);
    }
    case 'zipper': {
      if (!trim.path) return placed([{ kind: 'rect', x: -r * 0.15, y: -r, width: r * 0.3, height: trim.size, fill: c, pen: null }]);
      // The tape, then the teeth across it as a dash as wide as the trim.
      const teeth = trim.size * 0.12;
      return {
        placement: null,
        marks: [
          { kind: 'path', segments: [...trim.path], fill: null, pen: { colour: c, width: trim.size * 0.25, dash: null } },
          { kind: 'path', segments: [...trim.path], fill: null, pen: { colour: c, width: trim.size, dash: [teeth, teeth] } },
        ],
      };
    }
  }
}
