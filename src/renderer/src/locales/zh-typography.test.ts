import { describe, expect, it } from 'vitest';
import { RESOURCES } from './resources';

/** Every zh string with its key, flattened. */
function strings(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === 'string') out.push([prefix, v]);
    else if (v && typeof v === 'object') for (const [k, w] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, w);
  };
  for (const [ns, table] of Object.entries(RESOURCES.zh)) walk(`${ns}:`, table);
  return out;
}

describe('Chinese typography conventions', () => {
  it('writes a length after a number as cm, as a Chinese tech pack does, never 厘米', () => {
    // 厘米 in a sentence is fine; beside a value a technician reads the same field as the unit selector's cm.
    const mixed = strings().filter(([, s]) => /(\d|\}\})\s*厘米/.test(s));
    expect(mixed).toEqual([]);
  });

  it('brackets a note inside Chinese text in full-width （）', () => {
    // A half-width bracket touching a Chinese character or a placeholder note: "α 0.83 (自动)".
    const half = strings().filter(([, s]) => /[\p{Script=Han}]\s*\(|\(\s*[\p{Script=Han}]/u.test(s));
    expect(half).toEqual([]);
  });
});
