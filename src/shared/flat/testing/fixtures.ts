import { FLAT_SCHEMA_VERSION, FlatDocumentSchema, type FlatDocument, type FlatDocumentInput, type Segment } from '../schema';

/** A small front/back flat with one of every item kind, for tests of commands and export. */
export function sampleFlat(): FlatDocument {
  const square = (x: number, y: number, s: number): Segment[] => [
    { kind: 'M', to: { x, y } },
    { kind: 'L', to: { x: x + s, y } },
    { kind: 'L', to: { x: x + s, y: y + s } },
    { kind: 'L', to: { x, y: y + s } },
    { kind: 'Z' },
  ];
  const stroke = { stroke: '#000000', strokeWidth: 1 };
  const input: FlatDocumentInput = {
    schemaVersion: FLAT_SCHEMA_VERSION,
    id: 'sample',
    name: 'Sample flat',
    units: { name: 'mm', mmPerUnit: 1 },
    page: { width: 200, height: 200 },
    views: [
      {
        id: 'front',
        axisX: 100,
        layers: [
          { id: 'body', name: 'Body', visible: true, locked: false },
          { id: 'details', name: 'Details', visible: true, locked: false },
        ],
        items: [
          { id: 'panel', layerId: 'body', type: 'shape', role: 'panel', segments: square(60, 40, 80), style: { ...stroke, fill: '#ffffff' } },
          {
            id: 'half',
            layerId: 'body',
            type: 'shape',
            role: 'seam',
            segments: [
              { kind: 'M', to: { x: 100, y: 130 } },
              { kind: 'C', c1: { x: 80, y: 130 }, c2: { x: 70, y: 140 }, to: { x: 70, y: 160 } },
              { kind: 'Q', c: { x: 75, y: 175 }, to: { x: 100, y: 180 } },
            ],
            style: { ...stroke, fill: null },
          },
          { id: 'pocket', layerId: 'details', type: 'shape', role: 'detail', segments: square(70, 60, 20), style: { ...stroke, fill: null } },
          {
            id: 'hem',
            layerId: 'details',
            type: 'stitch',
            stitch: 'topstitch',
            segments: [
              { kind: 'M', to: { x: 60, y: 110 } },
              { kind: 'L', to: { x: 140, y: 110 } },
            ],
            style: stroke,
          },
          { id: 'button', layerId: 'details', type: 'trim', trim: 'button', at: { x: 100, y: 60 }, size: 10 },
          { id: 'note', layerId: 'details', type: 'callout', text: 'Bartack', at: { x: 150, y: 30 }, leader: [{ x: 150, y: 30 }, { x: 130, y: 50 }] },
        ],
        poms: [{ id: 'chest', code: 'C', name: 'Chest', from: { shapeId: 'panel', segment: 0 }, to: { shapeId: 'panel', segment: 1 }, value: 8, unit: 'cm' }],
      },
      { id: 'back', axisX: 100, layers: [{ id: 'body', name: 'Body', visible: true, locked: false }], items: [] },
    ],
    attributes: { category: 't-shirt', sleeveLength: 'short' },
  };
  return FlatDocumentSchema.parse(input);
}
