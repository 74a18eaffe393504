import { formatPathData, type FlatDocument, type FlatView, type MeasuredLine } from '../../../../shared/flat';

interface Props {
  doc: FlatDocument;
  view: FlatView;
  /** A measurement to show on the drawing (what a known length or a calibration is measured on). */
  line?: MeasuredLine | null;
  label: string;
  testId?: string;
}

/** One view's outlines, small, with the line the scale is measured on drawn over them. */
export function ViewThumb({ doc, view, line, label, testId }: Props) {
  const shown = new Set(view.layers.filter((l) => l.visible).map((l) => l.id));
  const shapes = view.items.filter((i) => (i.type === 'shape' || i.type === 'stitch') && shown.has(i.layerId)).slice(0, 200);
  // Strokes at a share of the page, so a thumbnail reads the same whatever units the drawing is in.
  const pen = Math.max(doc.page.width, doc.page.height) / 250;
  return (
    <figure className="ed-thumb" data-testid={testId} data-view={view.id}>
      <svg viewBox={`0 0 ${doc.page.width} ${doc.page.height}`} role="img" aria-label={label}>
        {shapes.map((s) =>
          s.type === 'shape' || s.type === 'stitch' ? (
            <path
              key={s.id}
              d={formatPathData(s.segments, 2)}
              fill={s.type === 'shape' && s.style.fill ? '#ffffff' : 'none'}
              stroke="#1d1d1f"
              strokeWidth={pen}
              strokeDasharray={s.type === 'stitch' ? `${pen * 2} ${pen}` : undefined}
            />
          ) : null,
        )}
        {line && (
          <g className="ed-thumb__line">
            <line x1={line.from.x} y1={line.from.y} x2={line.to.x} y2={line.to.y} stroke="#d0021b" strokeWidth={pen * 1.5} strokeDasharray={`${pen * 4} ${pen * 2}`} />
            <circle cx={line.from.x} cy={line.from.y} r={pen * 2.5} fill="#d0021b" />
            <circle cx={line.to.x} cy={line.to.y} r={pen * 2.5} fill="#d0021b" />
          </g>
        )}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
