import type { Motif } from '../../../../shared/contract';
import { libraryFileUrl } from '../../lib/library-url';
import { motifSize } from './caption';
import type { CropScore } from './search-source';

interface Props {
  motif: Motif;
  /** The thumbnail for the grid, the original image for the detail view. */
  variant: 'thumb' | 'full';
  alt: string;
  /** Crops to overlay; the heatmap is off when null. */
  heatmap: { best: CropScore | null; crops: CropScore[] } | null;
  cropLabel?(score: number): string;
}

/**
 * A motif image with its crop heatmap on top. The frame keeps the image's own aspect ratio, so a crop
 * box (fractions of the image) maps to percentages of the frame whatever size the image is shown at.
 */
export function MotifFigure({ motif, variant, alt, heatmap, cropLabel }: Props) {
  const size = motifSize(motif) ?? { width: 1, height: 1 };
  const sha = variant === 'thumb' ? (motif.thumbSha256 ?? motif.fileSha256) : motif.fileSha256;
  const wide = size.width >= size.height;
  const scores = heatmap?.crops.map((c) => c.score) ?? [];
  const low = Math.min(...scores);
  const high = Math.max(...scores);
  const heat = (score: number) => (high > low ? (score - low) / (high - low) : 1);
  // Boxes are fractions of the image, so they map straight onto the frame's percentages.
  const place = ([l, t, r, b]: CropScore['box']) => ({ left: `${100 * l}%`, top: `${100 * t}%`, width: `${100 * (r - l)}%`, height: `${100 * (b - t)}%` });
  return (
    <div className={`motif-figure motif-figure--${variant}`} style={{ aspectRatio: `${size.width} / ${size.height}`, [wide ? 'width' : 'height']: '100%' }}>
      <img src={libraryFileUrl(sha)} alt={alt} draggable={false} loading="lazy" />
      {heatmap && (
        <div className="motif-heatmap" data-testid="motif-heatmap" aria-hidden="true">
          {heatmap.crops.length > 1 &&
            [...heatmap.crops].sort((a, b) => a.score - b.score).map((c, i) => (
              <span key={i} className="motif-heatmap__cell" data-testid="motif-heatmap-crop" style={{ ...place(c.box), opacity: 0.08 + 0.42 * heat(c.score) }} title={cropLabel?.(c.score)} />
            ))}
          {heatmap.best && (
            <span className="motif-heatmap__best" data-testid="motif-heatmap-best" style={place(heatmap.best.box)}>
              {variant === 'full' && cropLabel && <span className="motif-heatmap__label">{cropLabel(heatmap.best.score)}</span>}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
