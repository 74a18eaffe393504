import { useCallback, useEffect, useId, useState } from 'react';
import type { Swatch } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { libraryFileUrl } from '../../lib/library-url';
import './swatch-chooser.css';

export interface ChooserOption {
  /** Never a swatch id: '' or a word such as 'none'. */
  value: string;
  label: string;
}

interface Props {
  projectId: string;
  label: string;
  /** What comes before the swatches: "from the prompt", "no swatch", "no fabric"... */
  leading: readonly ChooserOption[];
  /** A leading option's value, or a swatch id. */
  value: string;
  /** The new value, with its swatch when it is one. */
  onChange(value: string, swatch: Swatch | null): void;
  disabled?: boolean;
  testId: string;
}

/**
 * Picks one of the project's swatches, with a thumbnail of the cloth chosen. The list is read again
 * whenever the technician comes to the control (pointer or keyboard), so a swatch imported a moment
 * ago in the swatch panel is there to pick.
 */
export function SwatchChooser({ projectId, label, leading, value, onChange, disabled = false, testId }: Props) {
  const { client } = useStudioApi();
  const id = useId();
  const [swatches, setSwatches] = useState<Swatch[]>([]);
  /** The chosen swatch when it is not one of the project's (a panel filled in another project). */
  const [outside, setOutside] = useState<Swatch | null>(null);

  const reload = useCallback(() => {
    client.swatches.list({ projectId }).then(setSwatches, () => undefined);
  }, [client, projectId]);
  useEffect(() => reload(), [reload]);

  const isLeading = leading.some((o) => o.value === value);
  const inProject = swatches.find((s) => s.id === value) ?? null;
  useEffect(() => {
    if (isLeading || inProject) return;
    let live = true;
    client.swatches.get({ id: value }).then(
      (s) => live && setOutside(s),
      () => live && setOutside(null),
    );
    return () => {
      live = false;
    };
  }, [client, value, isLeading, inProject]);

  const chosen = inProject ?? (outside?.id === value ? outside : null);
  return (
    <div className="swatch-chooser" data-testid={`${testId}-chooser`}>
      <label className="swatch-chooser__label" htmlFor={id}>
        {label}
      </label>
      <span className="swatch-chooser__control">
        {chosen ? (
          <img className="swatch-chooser__thumb" src={libraryFileUrl(chosen.previewSha256)} alt="" data-testid={`${testId}-thumb`} />
        ) : (
          <span className="swatch-chooser__thumb swatch-chooser__thumb--none" aria-hidden="true" />
        )}
        <select
          id={id}
          className="swatch-chooser__select"
          value={value}
          disabled={disabled}
          data-testid={testId}
          onFocus={reload}
          onPointerEnter={reload}
          onChange={(e) => {
            const next = e.target.value;
            onChange(next, swatches.find((s) => s.id === next) ?? (outside?.id === next ? outside : null));
          }}
        >
          {leading.map((o) => (
            <option key={`leading-${o.value}`} value={o.value}>
              {o.label}
            </option>
          ))}
          {!isLeading && !inProject && <option value={value}>{outside?.id === value ? outside.name : value}</option>}
          {swatches.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </span>
    </div>
  );
}
