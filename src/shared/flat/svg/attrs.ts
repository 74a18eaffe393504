/** Writing SVG attributes: rounded numbers, escaped text, and only colours that are plain colour syntax. */

export const num = (n: number): string => {
  const r = Number(n.toFixed(3));
  return Object.is(r, -0) ? '0' : String(r);
};

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Colours come from documents that may come from anywhere: only plain colour syntax is written. */
export const colour = (c: string | null): string => (c === null ? 'none' : /^[#\w(),.%\s-]{1,64}$/.test(c) ? c : '#000000');

/** Attributes in the order given; null, undefined and empty values are left out. */
export function attrs(pairs: Record<string, string | number | null | undefined>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${esc(typeof v === 'number' ? num(v) : String(v))}"`)
    .join('');
}
