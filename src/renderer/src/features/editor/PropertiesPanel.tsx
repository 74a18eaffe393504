import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlatCommandInput, FlatView, Print, Shape, Units } from '../../../../shared/flat';
import { SwatchChooser } from '../swatches';
import {
  motifAngleEdit,
  motifFillRemove,
  motifRepeatEdit,
  normaliseAngle,
  panelSwatchEdit,
  printOpacityEdit,
  printRotationEdit,
  printSizeCm,
  printSizeEdit,
  roundShown,
  takesFabric,
  type PropertyEdit,
} from './model/properties';

interface Props {
  view: FlatView;
  units: Units;
  selected: string[];
  run(c: FlatCommandInput): unknown;
  /** The project whose swatches a panel can be given. */
  projectId?: string;
}

/**
 * What can be changed of the one selected print (opacity, rotation, size in proportion), or of the
 * selected panel: its swatch, and its motif repeat (size, angle, removal) once placed. Hidden otherwise.
 */
export function PropertiesPanel({ view, units, selected, run, projectId }: Props) {
  const item = selected.length === 1 ? view.items.find((i) => i.id === selected[0]) : undefined;
  if (item?.type === 'print') return <PrintProperties key={item.id} view={view} units={units} print={item} run={run} />;
  if (item?.type !== 'shape') return null;
  return (
    <>
      {projectId && takesFabric(item) && <PanelFabric key={`fabric-${item.id}`} view={view} shape={item} projectId={projectId} run={run} />}
      {item.motifFill && <MotifFillProperties key={item.id} view={view} shape={item} run={run} />}
    </>
  );
}

/** Runs an edit's command; says why it was refused, or nothing. */
function useEdits(run: Props['run']) {
  const { t } = useTranslation();
  return (edit: PropertyEdit): string | null => {
    if (!edit) return null;
    if ('command' in edit) {
      run(edit.command);
      return null;
    }
    return t(`editor:props.error.${edit.error}`, edit.values ?? {});
  };
}

const lockedLayer = (view: FlatView, layerId: string) => view.layers.find((l) => l.id === layerId)?.locked ?? false;

function PrintProperties({ view, units, print, run }: { view: FlatView; units: Units; print: Print; run: Props['run'] }) {
  const { t } = useTranslation();
  const commit = useEdits(run);
  const size = printSizeCm(print, units);
  const locked = lockedLayer(view, print.layerId);
  return (
    <section className="ed-section" data-testid="print-properties">
      <header className="ed-section__head">
        <h3>{t('editor:props.print')}</h3>
        <span className="ed-muted ed-props__name" title={print.name}>
          {print.name}
        </span>
      </header>
      <div className="ed-props">
        <NumberField label={t('editor:props.opacity')} unit="%" value={print.opacity * 100} min={0} max={100} step={5} disabled={locked} testId="print-opacity" onCommit={(v) => commit(printOpacityEdit(view.id, print, v))} />
        <NumberField label={t('editor:props.rotation')} unit="°" value={normaliseAngle(print.rotation)} step={15} disabled={locked} testId="print-rotation" onCommit={(v) => commit(printRotationEdit(view.id, print, v))} />
        <NumberField label={t('editor:props.width')} unit="cm" value={size.width} min={0} step={0.5} disabled={locked} testId="print-width" onCommit={(v) => commit(printSizeEdit(view.id, print, units, 'width', v))} />
        <NumberField label={t('editor:props.height')} unit="cm" value={size.height} min={0} step={0.5} disabled={locked} testId="print-height" onCommit={(v) => commit(printSizeEdit(view.id, print, units, 'height', v))} />
      </div>
      <p className="ed-muted ed-props__hint">{t('editor:props.keepsRatio')}</p>
    </section>
  );
}

/** The panel's cloth, picked from the project's swatches: what the colorways and the tech pack show it in. */
function PanelFabric({ view, shape, projectId, run }: { view: FlatView; shape: Shape; projectId: string; run: Props['run'] }) {
  const { t } = useTranslation();
  const commit = useEdits(run);
  return (
    <section className="ed-section" data-testid="panel-fabric-properties">
      <header className="ed-section__head">
        <h3>{t('editor:props.fabric')}</h3>
        <span className="ed-muted ed-props__name" title={shape.name}>
          {shape.name}
        </span>
      </header>
      <SwatchChooser
        projectId={projectId}
        label={t('editor:props.swatch')}
        leading={[{ value: '', label: t('editor:props.noSwatch') }]}
        value={shape.fabric?.swatchId ?? ''}
        disabled={lockedLayer(view, shape.layerId)}
        testId="panel-swatch"
        onChange={(swatchId) => commit(panelSwatchEdit(view.id, shape, swatchId))}
      />
    </section>
  );
}

function MotifFillProperties({ view, shape, run }: { view: FlatView; shape: Shape; run: Props['run'] }) {
  const { t } = useTranslation();
  const commit = useEdits(run);
  const fill = shape.motifFill!;
  const locked = lockedLayer(view, shape.layerId);
  return (
    <section className="ed-section" data-testid="motif-fill-properties">
      <header className="ed-section__head">
        <h3>{t('editor:props.motifFill')}</h3>
        <button type="button" className="link-button" data-testid="motif-fill-remove" disabled={locked} onClick={() => commit(motifFillRemove(view.id, shape))}>
          {t('editor:props.removeFill')}
        </button>
      </header>
      <div className="ed-props">
        <NumberField label={t('editor:props.repeat')} unit="cm" value={fill.repeatCm} min={0} step={1} disabled={locked} testId="motif-fill-repeat" onCommit={(v) => commit(motifRepeatEdit(view.id, shape, v))} />
        <NumberField label={t('editor:props.angle')} unit="°" value={normaliseAngle(fill.angle)} step={15} disabled={locked} testId="motif-fill-angle" onCommit={(v) => commit(motifAngleEdit(view.id, shape, v))} />
      </div>
    </section>
  );
}

interface FieldProps {
  label: string;
  unit: string;
  value: number;
  min?: number;
  max?: number;
  step: number;
  disabled: boolean;
  testId: string;
  /** The typed text; returns why it was refused, or null. */
  onCommit(text: string): string | null;
}

/**
 * A number typed and then committed with Enter or by leaving the field, so one change is one undo
 * step, not one per keystroke; Escape puts the document's value back. A refused value stays in the
 * field with the reason beside it, and the document is left as it was.
 */
function NumberField({ label, unit, value, min, max, step, disabled, testId, onCommit }: FieldProps) {
  const shown = String(roundShown(value));
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  // The document changed under the field (an undo, a drag on the canvas): show what it holds now.
  useEffect(() => {
    setDraft(shown);
    setError(null);
  }, [shown]);
  const commit = () => {
    const refused = draft === shown ? null : onCommit(draft);
    setError(refused);
    // Taken or no change at all: the field shows the document's value (the new one once it is saved).
    if (!refused) setDraft(shown);
  };
  return (
    <label className="ed-props__field">
      <span>{label}</span>
      <span className="ed-props__input">
        <input
          type="number"
          className="ed-number"
          value={draft}
          min={min}
          max={max}
          step={step}
          disabled={disabled}
          data-testid={testId}
          aria-invalid={error !== null}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commit();
            } else if (e.key === 'Escape') {
              setDraft(shown);
              setError(null);
            }
          }}
        />
        {unit}
      </span>
      {error && (
        <span className="form-error ed-props__error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </label>
  );
}
