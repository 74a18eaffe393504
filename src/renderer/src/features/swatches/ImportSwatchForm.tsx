import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { Swatch, SwatchImport } from '../../../../shared/contract';
import { FABRICS, type FabricId } from '../../../../shared/fabric';
import { errorMessage } from '../../lib/errors';
import { useAction } from '../../lib/use-action';
import { percentToCrop } from './crop';
import { readPhotoFile, SWATCH_PHOTO_TYPES, type PickedPhoto } from './photo-file';
import { SwatchPreview } from './SwatchPreview';
import { useTranslation } from 'react-i18next';

interface Props {
  projectId: string | null;
  onImport(request: SwatchImport): Promise<Swatch>;
}

const CROP_LABELS = {
  left: 'swatches:import.cropLeft',
  top: 'swatches:import.cropTop',
  width: 'swatches:import.cropWidth',
  height: 'swatches:import.cropHeight',
} as const;

const positive = (text: string): number | undefined => {
  const n = Number(text.replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
};

/**
 * Imports a photo dropped on the form, picked in the file dialog (sent as its bytes) or typed as a
 * path. Main checks the file, the format, its size and the crop before anything is stored, and says
 * what is wrong.
 */
export function ImportSwatchForm({ projectId, onImport }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [category, setCategory] = useState<FabricId | ''>('');
  const [width, setWidth] = useState('');
  const [height, setHeight] = useState('');
  const [rotate, setRotate] = useState('');
  const [file, setPhoto] = useState<PickedPhoto | null>(null);
  // The picked photo as the page can show it, for the preview.
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const setFile = (photo: PickedPhoto | null, from?: File) => {
    setPhoto(photo);
    setPreviewUrl(photo && from ? URL.createObjectURL(from) : null);
  };
  useEffect(() => () => void (previewUrl && URL.revokeObjectURL(previewUrl)), [previewUrl]);
  const [crop, setCrop] = useState({ left: '', top: '', width: '', height: '' });
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const { busy, error, setError, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const zh = i18n.language === 'zh';

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    void run(async () => {
      const rotateDeg = Number(rotate);
      const angle = rotate.trim() && Number.isFinite(rotateDeg) ? rotateDeg : 0;
      // A typed path has no size known here, so a % crop needs a dropped or picked photo.
      const mapped = percentToCrop(crop, file?.size ?? null, angle);
      if ('error' in mapped) {
        setError(t(`swatches:import.${mapped.error}`));
        return;
      }
      const swatch = await onImport({
        ...(file ? { file: { name: file.name, bytesBase64: file.bytesBase64 } } : { path: path.trim() }),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(category ? { category } : {}),
        geometry: {
          ...(rotate.trim() && Number.isFinite(rotateDeg) ? { rotateDeg } : {}),
          widthCm: positive(width) ?? null,
          heightCm: positive(height) ?? null,
          ...(mapped.crop ? { crop: mapped.crop } : {}),
        },
        ...(projectId ? { projectId } : {}),
      });
      setDone(t('swatches:import.done', { name: swatch.name }));
      setPath('');
      setName('');
      setFile(null);
      setCrop({ left: '', top: '', width: '', height: '' });
      if (picker.current) picker.current.value = '';
    });
  }

  async function take(picked: File | undefined) {
    if (!picked) return;
    setError(null);
    setDone(null);
    try {
      const photo = await readPhotoFile(picked);
      setFile(photo, picked);
      setPath('');
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    void take(event.dataTransfer.files[0]);
  }

  const cropField = (key: keyof typeof crop) => (
    <label className="field-label" key={key}>
      {t(CROP_LABELS[key])}
      <input
        className="text-input"
        inputMode="decimal"
        data-testid={`swatch-import-crop-${key}`}
        value={crop[key]}
        onChange={(e) => setCrop({ ...crop, [key]: e.target.value })}
      />
    </label>
  );

  return (
    <form className="swatch-import" onSubmit={submit} noValidate data-testid="swatch-import">
      <h3 className="swatch-import__title">{t('swatches:import.title')}</h3>
      <div
        className={`swatch-drop${dragging ? ' swatch-drop--over' : ''}`}
        data-testid="swatch-import-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <p className="swatch-drop__hint">{file ? t('swatches:import.picked', { name: file.name }) : t('swatches:import.drop')}</p>
        <button type="button" className="button" onClick={() => picker.current?.click()}>
          {t('swatches:import.choose')}
        </button>
        {file && (
          <button type="button" className="button" data-testid="swatch-import-clear" onClick={() => setFile(null)}>
            {t('swatches:import.clear')}
          </button>
        )}
        <input
          ref={picker}
          type="file"
          hidden
          accept={SWATCH_PHOTO_TYPES}
          data-testid="swatch-import-file"
          aria-label={t('swatches:import.choose')}
          onChange={(e) => void take(e.target.files?.[0])}
        />
      </div>
      {file && previewUrl && (
        <SwatchPreview url={previewUrl} size={file.size} rotateDeg={Number.isFinite(Number(rotate)) ? Number(rotate) : 0} crop={crop} />
      )}
      <label className="field-label" htmlFor={`${id}-path`}>
        {t('swatches:import.path')}
      </label>
      <input
        id={`${id}-path`}
        className="text-input"
        data-testid="swatch-import-path"
        value={path}
        placeholder={t('swatches:import.pathPlaceholder')}
        onChange={(e) => {
          setPath(e.target.value);
          setFile(null);
        }}
        aria-invalid={error ? true : undefined}
        autoComplete="off"
        spellCheck={false}
      />
      <div className="swatch-import__grid">
        <label className="field-label">
          {t('swatches:import.name')}
          <input className="text-input" data-testid="swatch-import-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field-label">
          {t('swatches:import.category')}
          <select className="text-input" data-testid="swatch-import-category" value={category} onChange={(e) => setCategory(e.target.value as FabricId | '')}>
            <option value="">{t('swatches:import.guess')}</option>
            {FABRICS.map((f) => (
              <option key={f.id} value={f.id}>
                {zh ? f.name.zh : f.name.en}
              </option>
            ))}
          </select>
        </label>
        <label className="field-label">
          {t('swatches:import.width')}
          <input className="text-input" inputMode="decimal" value={width} onChange={(e) => setWidth(e.target.value)} />
        </label>
        <label className="field-label">
          {t('swatches:import.height')}
          <input className="text-input" inputMode="decimal" value={height} onChange={(e) => setHeight(e.target.value)} />
        </label>
        <label className="field-label">
          {t('swatches:import.rotate')}
          <input className="text-input" inputMode="decimal" data-testid="swatch-import-rotate" value={rotate} onChange={(e) => setRotate(e.target.value)} />
        </label>
      </div>
      <fieldset className="swatch-import__crop">
        <legend className="field-label">{t('swatches:import.crop')}</legend>
        <div className="swatch-import__grid">{(['left', 'top', 'width', 'height'] as const).map(cropField)}</div>
      </fieldset>
      <button type="submit" className="button button--primary" data-testid="swatch-import-submit" disabled={busy || (file === null && path.trim() === '')}>
        {busy ? t('swatches:import.busy') : t('swatches:import.submit')}
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="swatch-import-error">
          {error}
        </p>
      )}
      {done && (
        <p className="swatch-import__done" role="status" data-testid="swatch-import-done">
          {done}
        </p>
      )}
    </form>
  );
}
