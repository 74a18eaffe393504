import { FLAT_SCHEMA_VERSION, FlatDocumentSchema, type FlatDocument } from '../../../../shared/flat/schema';

/**
 * A page `w` x `h` mm holding one white panel inset 10 % from each edge: the smallest flat that a
 * colorway or export has to fill. `panel` adds to the panel item (its fabric, motif fill, name).
 */
export function panelPage(w: number, h: number, panel: Record<string, unknown> = {}, strokeWidth = 0.5): FlatDocument {
  const [x0, y0, x1, y1] = [w * 0.1, h * 0.1, w * 0.9, h * 0.9];
  return FlatDocumentSchema.parse({
    schemaVersion: FLAT_SCHEMA_VERSION,
    id: 'page',
    name: 'Page',
    units: { name: 'mm', mmPerUnit: 1 },
    page: { width: w, height: h },
    views: [
      {
        id: 'front',
        axisX: null,
        layers: [{ id: 'l', name: 'Main', visible: true, locked: false }],
        items: [
          {
            id: 'panel',
            layerId: 'l',
            type: 'shape',
            role: 'panel',
            segments: [
              { kind: 'M', to: { x: x0, y: y0 } },
              { kind: 'L', to: { x: x1, y: y0 } },
              { kind: 'L', to: { x: x1, y: y1 } },
              { kind: 'L', to: { x: x0, y: y1 } },
              { kind: 'Z' },
            ],
            style: { stroke: '#000000', strokeWidth, fill: '#ffffff' },
            ...panel,
          },
        ],
      },
    ],
    attributes: {},
  });
}
