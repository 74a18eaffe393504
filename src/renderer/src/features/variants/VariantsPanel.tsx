import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GarmentGenerateResult, GenerationRecord, Job } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { HistoryPanel } from '../history';
import { RequirePack, usePackOfKind } from '../models';
import { usePromptReading, type FlatAttributes } from '../prompt';
import { libraryFileUrl } from '../../lib/library-url';
import { AlphaControl, DEFAULT_SETTINGS, type RenderSettings } from './AlphaControl';
import { ColorwayChooser } from './ColorwayChooser';
import { Compare, type ShownVariant } from './Compare';
import { GenerateBar } from './GenerateBar';
import { QueueList } from './QueueList';
import { settingsFromRecord } from './settings-from-record';
import { useFlatPicture } from './useFlatPicture';
import { useGenerationQueue } from './useGenerationQueue';
import './variants.css';

interface Props {
  className?: string;
  projectId: string;
  /** The prompt as the prompt panel holds it. */
  promptText: string;
  /** "Reuse these settings" puts a past prompt back into the prompt panel. */
  onPromptText?(text: string): void;
  /** The open flat's attributes, for sketch/text conflicts next to Generate. */
  flatAttributes?: FlatAttributes | undefined;
  /** The flat open in the editor; without it, the project's most recently edited flat. */
  flatId?: string | null | undefined;
}

/** A finished render pair on show. */
interface Shown {
  jobId: string | null;
  seed: number;
  flatId: string | null;
  durationMs: number | null;
  imageBiased: ShownVariant & { generationId: string };
  textBiased: ShownVariant & { generationId: string };
}

function shownFromResult(job: Job, r: GarmentGenerateResult, flatId: string | null): Shown | null {
  const find = (v: 'image-biased' | 'text-biased') => r.variants.find((x) => x.variant === v);
  const a = find('image-biased');
  const b = find('text-biased');
  if (!a || !b) return null;
  const as = (x: typeof a) => ({ variant: x.variant, url: libraryFileUrl(x.fileSha256), alpha: x.alpha, alphaAuto: x.alphaAuto, generationId: x.generationId });
  return { jobId: job.id, seed: r.seed, flatId, durationMs: r.durationMs, imageBiased: as(a), textBiased: as(b) };
}

function shownFromRecords(records: GenerationRecord[]): Shown | null {
  const a = records.find((x) => x.variant === 'image-biased');
  const b = records.find((x) => x.variant === 'text-biased');
  if (!a || !b) return null;
  const as = (x: GenerationRecord) => ({ variant: x.variant, url: libraryFileUrl(x.fileSha256), alpha: x.alpha, alphaAuto: x.alphaAuto, generationId: x.id });
  return { jobId: a.jobId, seed: a.seed, flatId: a.flatId, durationMs: a.durationMs, imageBiased: as(a), textBiased: as(b) };
}

/**
 * Generation: one button (or Ctrl/Cmd+Enter) renders the open flat with the prompt and its linked
 * swatch; the queue shows each job step by step; the two variants are compared side by side; alpha
 * re-renders with the same seed; the history keeps every result.
 */
export function VariantsPanel({ className, projectId, promptText, onPromptText, flatAttributes, flatId }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const reading = usePromptReading(promptText, projectId, flatAttributes);
  const [tab, setTab] = useState<'variants' | 'history'>('variants');
  const [expanded, setExpanded] = useState(false);
  const [settings, setSettings] = useState<RenderSettings>(DEFAULT_SETTINGS);
  const [shown, setShown] = useState<Shown | null>(null);
  const [autoAlpha, setAutoAlpha] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [historyRound, setHistoryRound] = useState(0);
  /** A flat chosen by "reuse these settings", until the editor opens another. */
  const [reuseFlatId, setReuseFlatId] = useState<string | null>(null);
  const flatOfJob = useRef(new Map<string, string | null>());
  const garmentPack = usePackOfKind('garment');
  /** The line-art ControlNet of the pack a render would use (the default garment pack), if it has one. */
  const lineArtControl = garmentPack.status === 'ready' ? garmentPack.pack.lineArtControl : null;

  const onFinished = useCallback((job: Job, result: GarmentGenerateResult) => {
    const next = shownFromResult(job, result, flatOfJob.current.get(job.id) ?? (job.params as { flat?: { flatId?: string } }).flat?.flatId ?? null);
    if (next) setShown(next);
    const ib = result.variants.find((v) => v.variant === 'image-biased');
    if (ib?.alphaAuto) setAutoAlpha(ib.alpha);
    setSettings((s) => (s.seedLocked ? s : { ...s, seed: result.seed }));
    setHistoryRound((n) => n + 1);
  }, []);
  const { queue, add, cancel, cancelAll, clearFinished, active } = useGenerationQueue(projectId, onFinished);
  const flatPicture = useFlatPicture(shown?.flatId ?? null);

  useEffect(() => setReuseFlatId(null), [flatId]);

  /** The flat to render: the editor's, a reused one, or the project's most recently edited. */
  const resolveFlat = useCallback(async (): Promise<string | null> => {
    if (reuseFlatId) return reuseFlatId;
    if (flatId) return flatId;
    const flats = await client.flats.list({ projectId });
    const newest = [...flats].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    return newest?.id ?? null;
  }, [client, projectId, flatId, reuseFlatId]);

  const generate = useCallback(
    async (override: Partial<{ alpha: 'auto' | number; seed: number }> = {}) => {
      setError(null);
      const prompt = promptText.trim();
      if (!prompt) {
        setError(t('variants:needPrompt'));
        return;
      }
      const startedAt = performance.now();
      try {
        const flat = await resolveFlat();
        if (!flat) {
          setError(t('variants:needFlat'));
          return;
        }
        const seed = override.seed ?? (settings.seedLocked && settings.seed !== null ? settings.seed : undefined);
        const job = await client.generations.generate({
          projectId,
          flat: { flatId: flat },
          prompt,
          alpha: override.alpha ?? settings.alpha,
          ...(reading.link ? { swatchId: reading.link.swatchId } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(settings.steps ? { steps: settings.steps } : {}),
          ...(settings.scheduler ? { scheduler: settings.scheduler } : {}),
          // Only a pack with a ControlNet takes a strength (another refuses it); a reused one stays set for when it is back.
          ...(lineArtControl && settings.controlScale !== null ? { controlScale: settings.controlScale } : {}),
        });
        flatOfJob.current.set(job.id, flat);
        add(job, startedAt);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [add, client, lineArtControl, projectId, promptText, reading.link, resolveFlat, settings, t],
  );

  // Ctrl/Cmd+Enter generates from anywhere in the workspace, the prompt box included.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.repeat) {
        e.preventDefault();
        void generate();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [generate]);

  const reuse = async (records: GenerationRecord[]) => {
    const image = records.find((r) => r.variant === 'image-biased') ?? records[0];
    if (!image) return;
    onPromptText?.(image.prompt);
    setSettings(settingsFromRecord(image));
    if (image.flatId) setReuseFlatId(image.flatId);
    setTab('variants');
    // A filtered history may hold one variant of the pair; the other is asked for by its job.
    let pair = shownFromRecords(records);
    if (!pair && image.jobId) {
      const { items } = await client.generations.list({ projectId, text: image.prompt, limit: 500 });
      pair = shownFromRecords(items.filter((r) => r.jobId === image.jobId));
    }
    if (pair) setShown(pair);
  };

  return (
    <section
      className={`panel variants ${expanded ? 'variants--expanded' : ''} ${className ?? ''}`}
      data-testid="panel-variants"
      data-region="variants"
      aria-label={t('variants:title')}
    >
      <header className="panel__header variants__header">
        <div className="tabs" role="tablist">
          <button type="button" role="tab" className="tabs__tab" aria-selected={tab === 'variants'} data-testid="variants-tab" onClick={() => setTab('variants')}>
            {t('variants:title')}
          </button>
          <button type="button" role="tab" className="tabs__tab" aria-selected={tab === 'history'} data-testid="history-tab" onClick={() => setTab('history')}>
            {t('history:title')}
          </button>
        </div>
        <button type="button" className="button button--small variants__expand" data-testid="variants-expand" aria-pressed={expanded} onClick={() => setExpanded((e) => !e)}>
          {expanded ? t('variants:collapse') : t('variants:expand')}
        </button>
      </header>
      <div className="variants__body">
        {tab === 'variants' ? (
          <RequirePack kind="garment">
            <div className="variants__controls">
              <GenerateBar reading={reading} disabled={!promptText.trim()} busy={active > 0} onGenerate={() => void generate()} error={error} />
              <AlphaControl
                settings={settings}
                onChange={setSettings}
                autoAlpha={autoAlpha}
                canRerender={shown !== null}
                onAlphaCommit={(alpha) => void generate({ alpha, ...(shown ? { seed: shown.seed } : {}) })}
                lineArtControl={lineArtControl}
              />
              <QueueList queue={queue} onCancel={(id) => void cancel(id)} onCancelAll={() => void cancelAll()} onClear={clearFinished} />
            </div>
            <div className="variants__result">
              {shown ? (
                <>
                  <Compare imageBiased={shown.imageBiased} textBiased={shown.textBiased} flatUrl={flatPicture} />
                  <div className="variants__meta" data-testid="result-meta">
                    <span>
                      {t('variants:seed')} <span data-testid="result-seed">{shown.seed}</span>
                    </span>
                    {shown.durationMs !== null && <span>{t('variants:took', { seconds: (shown.durationMs / 1000).toFixed(1) })}</span>}
                    <ColorwayChooser projectId={projectId} generationId={shown.imageBiased.generationId} onChosen={() => setHistoryRound((n) => n + 1)} />
                  </div>
                </>
              ) : (
                <p className="variants__empty" data-testid="variants-empty">
                  {t('variants:empty')}
                </p>
              )}
            </div>
          </RequirePack>
        ) : (
          <HistoryPanel projectId={projectId} round={historyRound} onReuse={(records) => void reuse(records)} />
        )}
      </div>
    </section>
  );
}
