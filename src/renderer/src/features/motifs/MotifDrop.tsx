import { useEffect, useState, type DragEvent as ReactDragEvent, type ReactNode } from 'react';
import type { FlatCommandInput, FlatView, Point } from '../../../../shared/flat';
import { takeMotifDrag, type MotifDrag } from './drag';
import { acceptMotifDragOver, dropChoice, motifDropCommandFor, panelAt } from './editor-drop';
import { DEFAULT_REPEAT_CM } from './print';
import { MAX_MOTIF_REPEAT_CM } from '../../../../shared/flat';
import { useTranslation } from 'react-i18next';
import './motifs.css';

interface Options {
  view: FlatView | undefined;
  layerId: string;
  /** The document point under a drop (the canvas's scene point). */
  toDocument(e: ReactDragEvent): Point | null;
  run(command: FlatCommandInput): void;
}

interface Asking {
  drag: MotifDrag;
  at: Point;
  /** Where the menu opens, in pixels of the drop target. */
  left: number;
  top: number;
}

/**
 * Motif drops on the flat canvas: Alt places a print, Shift fills the panel, a plain drop on a panel
 * opens a small menu at the drop point with both choices. Returns the drop handlers and the menu.
 */
export function useMotifDrop({ view, layerId, toDocument, run }: Options): {
  onDragOver(e: ReactDragEvent): void;
  onDrop(e: ReactDragEvent): void;
  menu: ReactNode;
} {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<Asking | null>(null);
  // The last repeat chosen is offered again: a range of panels usually shares one repeat size.
  const [repeatCm, setRepeatCm] = useState(DEFAULT_REPEAT_CM);
  const repeatOk = Number.isFinite(repeatCm) && repeatCm > 0 && repeatCm <= MAX_MOTIF_REPEAT_CM;

  useEffect(() => {
    if (!asking) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setAsking(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [asking]);

  const onDrop = (e: ReactDragEvent) => {
    const drag = takeMotifDrag(e.dataTransfer);
    const at = drag && view ? toDocument(e) : null;
    if (!drag || !view || !at) return;
    e.preventDefault();
    const choice = dropChoice(e, panelAt(view, at) !== null);
    if (choice !== 'ask') {
      const command = motifDropCommandFor(drag, choice, view, at, layerId, repeatCm);
      if (command) run(command);
      return;
    }
    const r = e.currentTarget.getBoundingClientRect();
    setAsking({ drag, at, left: e.clientX - r.left, top: e.clientY - r.top });
  };

  const choose = (choice: 'print' | 'fill') => {
    if (!asking || !view) return;
    const command = motifDropCommandFor(asking.drag, choice, view, asking.at, layerId, repeatCm);
    setAsking(null);
    if (command) run(command);
  };

  const menu = asking ? (
    <div className="motif-drop-menu" role="menu" data-testid="motif-drop-menu" style={{ left: asking.left, top: asking.top }}>
      <p className="motif-drop-menu__title">{t('motifs:drop.title')}</p>
      <button type="button" role="menuitem" className="button" data-testid="motif-drop-print" autoFocus onClick={() => choose('print')}>
        {t('motifs:drop.print')}
      </button>
      <span className="motif-drop-menu__fill">
        <button type="button" role="menuitem" className="button" data-testid="motif-drop-fill" disabled={!repeatOk} onClick={() => choose('fill')}>
          {t('motifs:drop.fill')}
        </button>
        <label className="motif-drop-menu__repeat">
          {t('motifs:drop.repeat')}
          <input
            type="number"
            className="text-input"
            data-testid="motif-drop-repeat"
            min={0.5}
            max={MAX_MOTIF_REPEAT_CM}
            step={0.5}
            value={Number.isFinite(repeatCm) ? repeatCm : ''}
            onChange={(e) => setRepeatCm(e.target.valueAsNumber)}
          />
          cm
        </label>
      </span>
      <button type="button" role="menuitem" className="button" data-testid="motif-drop-cancel" onClick={() => setAsking(null)}>
        {t('motifs:drop.cancel')}
      </button>
    </div>
  ) : null;

  return { onDragOver: acceptMotifDragOver, onDrop, menu };
}
