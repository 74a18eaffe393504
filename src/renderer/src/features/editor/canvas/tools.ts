/** The editor's tools and their Illustrator-like keys. */
export const TOOLS = [
  { id: 'select', key: 'v' },
  { id: 'direct', key: 'a' },
  { id: 'pen', key: 'p' },
  { id: 'line', key: '\\' },
  { id: 'curve', key: '~' },
  { id: 'rect', key: 'm' },
  { id: 'ellipse', key: 'l' },
  { id: 'text', key: 't' },
  { id: 'stitch', key: 's' },
  { id: 'callout', key: 'n' },
  { id: 'measure', key: 'k' },
  { id: 'eyedropper', key: 'i' },
  { id: 'zoom', key: 'z' },
  { id: 'hand', key: 'h' },
] as const;
export type ToolId = (typeof TOOLS)[number]['id'];

export function toolForKey(key: string): ToolId | null {
  const k = key.toLowerCase();
  return TOOLS.find((t) => t.key === k)?.id ?? null;
}
