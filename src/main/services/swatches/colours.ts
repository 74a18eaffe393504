import { COLOURS, deltaE76, labToHex, nearestColour, rgbToLab, roundLab, type Lab } from '../../../shared/fabric';
import type { DominantColour } from '../../../shared/contract/swatches';
import { fromRaw, toRaw, type RgbImage } from './raster';

/** Pixels the clustering looks at: a 64 x 64 thumbnail holds a swatch's colours and keeps k-means cheap. */
const SAMPLE_SIDE = 64;
const MAX_ITERATIONS = 40;
/** Colours closer than this (CIE76) read as one colour on a swatch card; no new centre is seeded nearer. */
const SAME_COLOUR = 8;

/**
 * The swatch's dominant colours: k-means in CIELAB on a thumbnail, seeded deterministically (the pixel
 * nearest the mean, then repeatedly the pixel farthest from every centre so far), so the same photo
 * always gives the same colours. Sorted by share of the swatch, largest first.
 */
export async function dominantColours(img: RgbImage, k = 5): Promise<DominantColour[]> {
  // Nearest-neighbour sampling: a smoothing kernel would invent mixtures of neighbouring yarn colours.
  const thumb = await toRaw(
    fromRaw(img).resize({ width: SAMPLE_SIDE, height: SAMPLE_SIDE, fit: 'inside', withoutEnlargement: true, kernel: 'nearest' }),
  );
  const n = thumb.width * thumb.height;
  const points: Lab[] = [];
  for (let i = 0; i < n; i++) points.push(rgbToLab(thumb.data[i * 3]!, thumb.data[i * 3 + 1]!, thumb.data[i * 3 + 2]!));

  const mean = points.reduce((m, p) => ({ L: m.L + p.L / n, a: m.a + p.a / n, b: m.b + p.b / n }), { L: 0, a: 0, b: 0 });
  const centres: Lab[] = [points[argMin(points, (p) => deltaE76(p, mean))]!];
  const nearest = points.map((p) => deltaE76(p, centres[0]!));
  while (centres.length < k) {
    const far = argMin(nearest, (d) => -d);
    if (nearest[far]! < SAME_COLOUR) break;
    centres.push({ ...points[far]! });
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i]!, deltaE76(points[i]!, points[far]!));
  }

  const assignment = new Int32Array(n).fill(-1);
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const c = argMin(centres, (centre) => deltaE76(points[i]!, centre));
      if (assignment[i] !== c) {
        assignment[i] = c;
        changed = true;
      }
    }
    if (!changed) break;
    for (let c = 0; c < centres.length; c++) {
      let L = 0;
      let a = 0;
      let b = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        if (assignment[i] !== c) continue;
        L += points[i]!.L;
        a += points[i]!.a;
        b += points[i]!.b;
        count++;
      }
      if (count > 0) centres[c] = { L: L / count, a: a / count, b: b / count };
    }
  }

  const counts = new Array<number>(centres.length).fill(0);
  for (let i = 0; i < n; i++) counts[assignment[i]!]! += 1;
  return centres
    .map((centre, c) => ({ centre, share: counts[c]! / n }))
    .filter((c) => c.share > 0)
    .map(({ centre, share }) => {
      const hex = labToHex(centre);
      return { hex, lab: roundLab(centre), share: Math.round(share * 1000) / 1000, colour: nearestColour(hex, COLOURS) };
    })
    .sort((p, q) => q.share - p.share || p.hex.localeCompare(q.hex));
}

/** Index of the smallest score; the first on ties, which keeps seeding deterministic. */
function argMin<T>(items: readonly T[] | Float32Array | number[], score: (item: T) => number): number {
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let i = 0; i < items.length; i++) {
    const s = score(items[i] as T);
    if (s < bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return best;
}
