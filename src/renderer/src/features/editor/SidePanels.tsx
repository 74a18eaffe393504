import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlatVersion } from '../../../../shared/contract';
import { newId, type FlatCommandInput, type FlatView } from '../../../../shared/flat';
import { layerLabel, pomWithCode } from '../../lib/i18n-names';

interface LayersProps {
  view: FlatView;
  activeLayer: string;
  onActive(id: string): void;
  run(c: FlatCommandInput): unknown;
}

/** Layers of the view, top of the paint order first, with hide and lock. */
export function LayersPanel({ view, activeLayer, onActive, run }: LayersProps) {
  const { t } = useTranslation();
  const counts = new Map<string, number>();
  for (const i of view.items) counts.set(i.layerId, (counts.get(i.layerId) ?? 0) + 1);
  return (
    <section className="ed-section" data-testid="layers-panel">
      <header className="ed-section__head">
        <h3>{t('editor:layers')}</h3>
        <button
          type="button"
          className="icon-button"
          title={t('editor:addLayer')}
          data-testid="layer-add"
          onClick={() => {
            const id = newId('layer');
            run({ type: 'layer.add', viewId: view.id, layer: { id, name: `${t('editor:layer')} ${view.layers.length + 1}`, visible: true, locked: false } });
            onActive(id);
          }}
        >
          +
        </button>
      </header>
      <ul className="layers">
        {[...view.layers].reverse().map((l) => (
          <li key={l.id} className={`layers__row ${l.id === activeLayer ? 'is-active' : ''}`} data-testid={`layer-${l.id}`} onClick={() => onActive(l.id)}>
            <button
              type="button"
              className={`layer-toggle ${l.visible ? '' : 'is-off'}`}
              title={t('editor:toggleVisible')}
              data-testid={`layer-visible-${l.id}`}
              aria-pressed={l.visible}
              onClick={(e) => {
                e.stopPropagation();
                run({ type: 'layer.update', viewId: view.id, id: l.id, visible: !l.visible });
              }}
            >
              <EyeIcon open={l.visible} />
            </button>
            <button
              type="button"
              className={`layer-toggle ${l.locked ? 'is-on' : ''}`}
              title={t('editor:toggleLock')}
              data-testid={`layer-lock-${l.id}`}
              aria-pressed={l.locked}
              onClick={(e) => {
                e.stopPropagation();
                run({ type: 'layer.update', viewId: view.id, id: l.id, locked: !l.locked });
              }}
            >
              <LockIcon locked={l.locked} />
            </button>
            <span className="layers__name">{layerLabel(t, l.name)}</span>
            <span className="layers__count">{counts.get(l.id) ?? 0}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface ArrangeProps {
  view: FlatView;
  selected: string[];
  run(c: FlatCommandInput): unknown;
}

/** Align and distribute the selection; POMs of the view with their values. */
export function ArrangePanel({ view, selected, run }: ArrangeProps) {
  const { t } = useTranslation();
  const many = selected.length >= 2;
  const edges = ['left', 'centerX', 'right', 'top', 'centerY', 'bottom'] as const;
  return (
    <section className="ed-section" data-testid="arrange-panel">
      <header className="ed-section__head">
        <h3>{t('editor:arrange')}</h3>
        <span className="ed-muted" data-testid="selection-count">
          {t('editor:selected', { count: selected.length })}
        </span>
      </header>
      <div className="ed-buttons">
        {edges.map((edge) => (
          <button key={edge} type="button" className="chip" disabled={!many} data-testid={`align-${edge}`} onClick={() => run({ type: 'align', viewId: view.id, ids: selected, edge })}>
            {t(`editor:align.${edge}`)}
          </button>
        ))}
        {(['x', 'y'] as const).map((axis) => (
          <button key={axis} type="button" className="chip" disabled={selected.length < 3} data-testid={`distribute-${axis}`} onClick={() => run({ type: 'distribute', viewId: view.id, ids: selected, axis })}>
            {t(`editor:distribute.${axis}`)}
          </button>
        ))}
      </div>
      <h4 className="ed-subhead">{t('editor:poms')}</h4>
      <ul className="poms" data-testid="pom-list">
        {view.poms.length === 0 && <li className="ed-muted">{t('editor:noPoms')}</li>}
        {view.poms.map((p) => {
          const shown = pomWithCode(t, p);
          return (
            <li key={p.id} data-testid="pom-row">
              {shown.code !== null && <b>{shown.code}</b>} {shown.name} <span className="poms__value">{p.value} {p.unit}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface VersionsProps {
  versions: FlatVersion[];
  onName(version: number, label: string): void;
  onRestore(version: number): void;
}

/** The flat's saved versions: name one to keep it, restore any. */
export function VersionsPanel({ versions, onName, onRestore }: VersionsProps) {
  const { t, i18n } = useTranslation();
  const [label, setLabel] = useState('');
  const head = versions[0];
  return (
    <section className="ed-section" data-testid="versions-panel">
      <header className="ed-section__head">
        <h3>{t('editor:versions')}</h3>
      </header>
      <form
        className="ed-inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (head && label.trim()) {
            onName(head.version, label);
            setLabel('');
          }
        }}
      >
        <input className="text-input" value={label} maxLength={200} placeholder={t('editor:versionName')} data-testid="version-name" onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" className="button" data-testid="version-name-save" disabled={!label.trim()}>
          {t('editor:nameVersion')}
        </button>
      </form>
      <ul className="versions">
        {versions.map((v, k) => (
          <li key={v.version} data-testid="version-row" className={v.label ? 'is-named' : ''}>
            <span className="versions__label">{v.label ?? t('editor:autosave')}</span>
            <span className="ed-muted">
              v{v.version} · {new Date(v.createdAt).toLocaleTimeString(i18n.language === 'zh' ? 'zh-CN' : 'en-GB')}
            </span>
            {k > 0 && (
              <button type="button" className="link-button" data-testid={`version-restore-${v.version}`} onClick={() => onRestore(v.version)}>
                {t('editor:restore')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

const stroke = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.4, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const };

function EyeIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path {...stroke} d="M1.5 8s2.4-4.5 6.5-4.5S14.5 8 14.5 8 12.1 12.5 8 12.5 1.5 8 1.5 8z" />
      {open ? <circle cx="8" cy="8" r="2" fill="currentColor" /> : <path {...stroke} d="M3 13L13 3" />}
    </svg>
  );
}

function LockIcon({ locked }: { locked: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect {...stroke} x="3.5" y="7" width="9" height="6.5" rx="1" fill={locked ? 'currentColor' : 'none'} />
      <path {...stroke} d={locked ? 'M5.5 7V5a2.5 2.5 0 0 1 5 0v2' : 'M5.5 7V5a2.5 2.5 0 0 1 4.8-1'} />
    </svg>
  );
}
