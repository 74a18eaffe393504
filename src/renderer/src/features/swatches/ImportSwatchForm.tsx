import { useId, useState, type FormEvent } from 'react';
import type { Swatch, SwatchImport } from '../../../../shared/contract';
import { FABRICS, type FabricId } from '../../../../shared/fabric';
import { errorMessage } from '../../lib/errors';
import { useSwatchText } from './text';

interface Props {
  projectId: string | null;
  onImport(request: SwatchImport): Promise<Swatch>;
}

const positive = (text: string): number | undefined => {
  const n = Number(text.replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) && n > 0 ? n : undefined;
};

/**
 * Imports a photo typed as a path (there is no file dialog channel yet). Main checks the file, the
 * format, its size and the crop before anything is stored, and says what is wrong.
 */
export function ImportSwatchForm({ projectId, onImport }: Props) {
  const { t, i18n } = useSwatchText();
  const id = useId();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [category, setCategory] = useState<FabricId | ''>('');
  const [width, setWidth] = useState('');
  const [height, setHeight] = useState('');
  const [rotate, setRotate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const zh = i18n.language === 'zh';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const rotateDeg = Number(rotate);
      const swatch = await onImport({
        path: path.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(category ? { category } : {}),
        geometry: {
          ...(rotate.trim() && Number.isFinite(rotateDeg) ? { rotateDeg } : {}),
          widthCm: positive(width) ?? null,
          heightCm: positive(height) ?? null,
        },
        ...(projectId ? { projectId } : {}),
      });
      setDone(t('swatchLibrary.import.done', { name: swatch.name }));
      setPath('');
      setName('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="swatch-import" onSubmit={submit} noValidate data-testid="swatch-import">
      <h3 className="swatch-import__title">{t('swatchLibrary.import.title')}</h3>
      <label className="field-label" htmlFor={`${id}-path`}>
        {t('swatchLibrary.import.path')}
      </label>
      <input
        id={`${id}-path`}
        className="text-input"
        data-testid="swatch-import-path"
        value={path}
        placeholder={t('swatchLibrary.import.pathPlaceholder')}
        onChange={(e) => setPath(e.target.value)}
        aria-invalid={error ? true : undefined}
        autoComplete="off"
        spellCheck={false}
      />
      <div className="swatch-import__grid">
        <label className="field-label">
          {t('swatchLibrary.import.name')}
          <input className="text-input" data-testid="swatch-import-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field-label">
          {t('swatchLibrary.import.category')}
          <select className="text-input" data-testid="swatch-import-category" value={category} onChange={(e) => setCategory(e.target.value as FabricId | '')}>
            <option value="">{t('swatchLibrary.import.guess')}</option>
            {FABRICS.map((f) => (
              <option key={f.id} value={f.id}>
                {zh ? f.name.zh : f.name.en}
              </option>
            ))}
          </select>
        </label>
        <label className="field-label">
          {t('swatchLibrary.import.width')}
          <input className="text-input" inputMode="decimal" value={width} onChange={(e) => setWidth(e.target.value)} />
        </label>
        <label className="field-label">
          {t('swatchLibrary.import.height')}
          <input className="text-input" inputMode="decimal" value={height} onChange={(e) => setHeight(e.target.value)} />
        </label>
        <label className="field-label">
          {t('swatchLibrary.import.rotate')}
          <input className="text-input" inputMode="decimal" value={rotate} onChange={(e) => setRotate(e.target.value)} />
        </label>
      </div>
      <button type="submit" className="button button--primary" data-testid="swatch-import-submit" disabled={busy || path.trim() === ''}>
        {busy ? t('swatchLibrary.import.busy') : t('swatchLibrary.import.submit')}
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="swatch-import-error">
          {error}
        </p>
      )}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </form>
  );
}
