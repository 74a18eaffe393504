import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GarmentGenerateResult, GenerationRecord, Job } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { HistoryPanel } from '../history';
import { RequirePack, usePackOfKind } from '../models';
import { StartFromColorway } from './StartFromColorway';
import { PromptBox, PromptDetails, usePromptEditing, usePromptReading, type FlatAttributes, type PromptState } from '../prompt';
import { libraryFileUrl } from '../../lib/library-url';
import { AlphaControl, DEFAULT_SETTINGS, type RenderSettings } from './AlphaControl';
import { ColorwayChooser } from './ColorwayChooser';
import { Compare, type ShownVariant } from './Compare';
import { GenerateBar } from './GenerateBar';
import { useGarmentSwatch } from './useGarmentSwatch';
import { pairToShow } from './last-results';
import { QueueList } from './QueueList';
import { settingsFromRecord } from './settings-from-record';
import { useFlatPicture } from './useFlatPicture';
import { useGenerationQueue } from './useGenerationQueue';
import './variants.css';

interface Props {
  className?: string;
  projectId: string;
  /** The prompt, written above Generate; the project keeps it. */
  prompt: PromptState;
  /** Typing, a field, a chip, or "reuse these settings" (a past prompt) changes it. */
  onPrompt(prompt: PromptState): void;
  /** The open flat's attributes, for sketch/text conflicts next to Generate. */
  flatAttributes?: FlatAttributes | undefined;
  /** The flat open in the editor; without it, the project's most recently edited flat. */
  flatId?: string | null | undefined;
  /** The job whose pair was on show when the project was last left. */
  shownJobId?: string | null;
  /** Hears which job's pair is on show, for the project to keep. */
  onShown?(jobId: string): void;
}

/** A finished render pair on show. */
interface Shown {
  jobId: string | null;
  seed: number;
  flatId: string | null;
  durationMs: number | null;
  /** The pack that drew the pair; its name is null for renders from before it was recorded. */
  pack: { id: string; version: string; name: string | null };
  /** What the pack's text encoder read (English composed from a Chinese prompt for an SD 1.5 pack); null when not recorded. */
  modelPrompt: string | null;
  imageBiased: ShownVariant & { generationId: string };
  textBiased: ShownVariant & { generationId: string };
}

function shownFromResult(job: Job, r: GarmentGenerateResult, flatId: string | null): Shown | null {
  const find = (v: 'image-biased' | 'text-biased') => r.variants.find((x) => x.variant === v);
  const a = find('image-biased');
  const b = find('text-biased');
  if (!a || !b) return null;
  const as = (x: typeof a) => ({ variant: x.variant, url: libraryFileUrl(x.fileSha256), alpha: x.alpha, alphaAuto: x.alphaAuto, generationId: x.generationId });
  const pack = { id: r.packId, version: r.packVersion, name: r.packName };
  return { jobId: job.id, seed: r.seed, flatId, durationMs: r.durationMs, pack, modelPrompt: r.modelPrompt, imageBiased: as(a), textBiased: as(b) };
}

function shownFromRecords(records: GenerationRecord[]): Shown | null {
  const a = records.find((x) => x.variant === 'image-biased');
  const b = records.find((x) => x.variant === 'text-biased');
  if (!a || !b) return null;
  const as = (x: GenerationRecord) => ({ variant: x.variant, url: libraryFileUrl(x.fileSha256), alpha: x.alpha, alphaAuto: x.alphaAuto, generationId: x.id });
  const pack = { id: a.packId, version: a.packVersion, name: a.packName };
  return { jobId: a.jobId, seed: a.seed, flatId: a.flatId, durationMs: a.durationMs, pack, modelPrompt: a.modelPrompt, imageBiased: as(a), textBiased: as(b) };
}

/**
 * Generation: the prompt, and right under it one button (or Ctrl/Cmd+Enter) that renders the open
 * flat with the prompt and its linked swatch; the queue shows each job step by step; the two variants
 * are compared side by side; alpha re-renders with the same seed; the history keeps every result.
 */
export function VariantsPanel({ className, projectId, prompt, onPrompt, flatAttributes, flatId, shownJobId = null, onShown }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const promptText = prompt.text;
  const reading = usePromptReading(promptText, projectId, flatAttributes);
  const garmentSwatch = useGarmentSwatch(projectId, reading);
  const editing = usePromptEditing(prompt, onPrompt);
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
  /** Whether that pack has a VAE encoder, so a render can start from the colorway. */
  const startsFromImage = garmentPack.status === 'ready' && garmentPack.pack.startsFromImage === true;
  /** The strength when renders start from the colorway; null: from pure noise. */
  const [initStrength, setInitStrength] = useState<number | null>(null);

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

  // The pair on show when the project was left: asked once, as it was when the panel opened.
  const rememberedJob = useRef(shownJobId);
  const shownRef = useRef(shown);
  shownRef.current = shown;
  // Coming back to the project, or opening another flat, shows that flat's last renders from the history.
  useEffect(() => {
    const open = flatId ?? null;
    if (shownRef.current && open !== null && shownRef.current.flatId === open) return;
    let live = true;
    client.generations.list({ projectId, limit: 200 }).then(
      ({ items }) => {
        if (!live) return;
        const pair = pairToShow(items, open, rememberedJob.current);
        const next = pair ? shownFromRecords(pair) : null;
        setShown((current) => {
          // A render that finished meanwhile, of this flat, stays.
          if (current && open !== null && current.flatId === open) return current;
          return next ?? (open !== null ? null : current);
        });
        const ib = pair?.find((r) => r.variant === 'image-biased');
        if (ib) setAutoAlpha(ib.alphaAuto ? ib.alpha : null);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, projectId, flatId]);

  const shownJob = shown?.jobId ?? null;
  useEffect(() => {
    if (shownJob) onShown?.(shownJob);
  }, [shownJob, onShown]);

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
          ...garmentSwatch.request,
          ...(seed !== undefined ? { seed } : {}),
          ...(settings.steps ? { steps: settings.steps } : {}),
          ...(settings.scheduler ? { scheduler: settings.scheduler } : {}),
          // Only a pack with a ControlNet takes a strength (another refuses it); a reused one stays set for when it is back.
          ...(lineArtControl && settings.controlScale !== null ? { controlScale: settings.controlScale } : {}),
          ...(startsFromImage && initStrength !== null ? { init: { kind: 'colorway' as const, strength: initStrength } } : {}),
        });
        flatOfJob.current.set(job.id, flat);
        add(job, startedAt);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [add, client, garmentSwatch.request, initStrength, lineArtControl, projectId, promptText, resolveFlat, settings, startsFromImage, t],
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
    onPrompt({ text: image.prompt, overrides: {} });
    garmentSwatch.reuse(image.swatch);
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
      {tab === 'variants' ? (
        <div className="variants__body">
          <PromptBox prompt={prompt} editing={editing} reading={reading} />
          <RequirePack kind="garment" className="variants__pack">
            <GenerateBar projectId={projectId} reading={reading} swatch={garmentSwatch} disabled={!promptText.trim()} busy={active > 0} onGenerate={() => void generate()} error={error} />
            <div className="variants__result">
              {shown ? (
                <>
                  <Compare imageBiased={shown.imageBiased} textBiased={shown.textBiased} flatUrl={flatPicture} />
                  <div className="variants__meta" data-testid="result-meta">
                    <span>
                      {t('variants:seed')} <span data-testid="result-seed">{shown.seed}</span>
                    </span>
                    {shown.durationMs !== null && <span>{t('variants:took', { seconds: (shown.durationMs / 1000).toFixed(1) })}</span>}
                    <span data-testid="result-pack" data-pack-id={shown.pack.id} title={`${shown.pack.id} ${shown.pack.version}`}>
                      {t('variants:drawnBy')}{' '}
                      <span translate="no">
                        {shown.pack.name ?? shown.pack.id} {shown.pack.version}
                      </span>
                    </span>
                    <ColorwayChooser projectId={projectId} generationId={shown.imageBiased.generationId} onChosen={() => setHistoryRound((n) => n + 1)} />
                  </div>
                  {shown.modelPrompt !== null && (
                    <p className="variants__model-prompt" data-testid="result-model-prompt">
                      <span className="variants__model-prompt-label">{t('variants:modelPrompt')}</span>{' '}
                      {shown.modelPrompt ? (
                        <q lang="en" translate="no">
                          {shown.modelPrompt}
                        </q>
                      ) : (
                        <span>{t('variants:modelPromptEmpty')}</span>
                      )}
                    </p>
                  )}
                </>
              ) : (
                <p className="variants__empty" data-testid="variants-empty">
                  {t('variants:empty')}
                </p>
              )}
            </div>
            <AlphaControl
              settings={settings}
              onChange={setSettings}
              autoAlpha={autoAlpha}
              canRerender={shown !== null}
              onAlphaCommit={(alpha) => void generate({ alpha, ...(shown ? { seed: shown.seed } : {}) })}
              lineArtControl={lineArtControl}
            />
            <StartFromColorway value={initStrength} available={startsFromImage} onChange={setInitStrength} />
            <QueueList queue={queue} onCancel={(id) => void cancel(id)} onCancelAll={() => void cancelAll()} onClear={clearFinished} />
          </RequirePack>
          <PromptDetails prompt={prompt} editing={editing} reading={reading} hasProject />
        </div>
      ) : (
        <div className="variants__body variants__body--history">
          <HistoryPanel projectId={projectId} round={historyRound} onReuse={(records) => void reuse(records)} />
        </div>
      )}
    </section>
  );
}
