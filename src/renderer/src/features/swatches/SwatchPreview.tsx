import { useTranslation } from 'react-i18next';
import { straightenedSize } from './crop';

interface Props {
  /** An object URL of the picked photo. */
  url: string;
  /** Its pixel size; null when the browser cannot read it (TIFF), which shows the photo alone. */
  size: { width: number; height: number } | null;
  rotateDeg: number;
  /** The crop as typed, in % of the straightened photo; fields that are not numbers draw no box. */
  crop: { left: string; top: string; width: string; height: string };
}

const pct = (text: string): number | null => {
  const n = Number(text.replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
};

/**
 * The photo as the import will take it: turned by the straightening angle on a canvas that holds all
 * of it (as main turns it), with the crop drawn where it falls, before anything is stored.
 */
export function SwatchPreview({ url, size, rotateDeg, crop }: Props) {
  const { t } = useTranslation();
  if (!size) {
    return (
      <figure className="swatch-preview" data-testid="swatch-import-preview">
        <img className="swatch-preview__plain" src={url} alt={t('swatches:import.preview')} />
      </figure>
    );
  }
  const turned = straightenedSize(size.width, size.height, rotateDeg);
  const W = Math.max(1, turned.width);
  const H = Math.max(1, turned.height);
  const [left, top, width, height] = [pct(crop.left), pct(crop.top), pct(crop.width), pct(crop.height)];
  const box = left !== null && top !== null && width !== null && height !== null && width > 0 && height > 0 ? { left, top, width, height } : null;
  return (
    <figure className="swatch-preview" data-testid="swatch-import-preview">
      {/* At most 200 px high, in the photo's own proportions. */}
      <div className="swatch-preview__stage" style={{ aspectRatio: `${W} / ${H}`, width: `min(100%, ${Math.round((200 * W) / H)}px)` }}>
        <img
          className="swatch-preview__photo"
          src={url}
          alt={t('swatches:import.preview')}
          style={{
            width: `${(size.width / W) * 100}%`,
            height: `${(size.height / H) * 100}%`,
            left: `${((W - size.width) / 2 / W) * 100}%`,
            top: `${((H - size.height) / 2 / H) * 100}%`,
            transform: `rotate(${rotateDeg}deg)`,
          }}
        />
        {box && (
          <div
            className="swatch-preview__crop"
            data-testid="swatch-import-preview-crop"
            style={{ left: `${box.left}%`, top: `${box.top}%`, width: `${box.width}%`, height: `${box.height}%` }}
          />
        )}
      </div>
      <figcaption>{box ? t('swatches:import.previewCropped') : t('swatches:import.previewWhole')}</figcaption>
    </figure>
  );
}
