import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { JobProgressSchema, type JobProgress } from '../../../../shared/contract';
import { createI18n } from '../../lib/i18n';
import { AssemblyProgress } from './AssemblyProgress';

/**
 * models.assemble reports progress in the jobs contract's shape (services/models/manager.ts): bytes
 * done in `step`, the phase's bytes in `total`, `fraction` = step / total (null while the total is
 * unknown) and the phase in `message`. Each case goes through JobProgressSchema first, as the
 * job.progress event does, so the row reads what the service really sends.
 */
const render = (progress: unknown, queued = false) =>
  renderToStaticMarkup(
    <I18nextProvider i18n={createI18n('en')}>
      <AssemblyProgress name="SD 1.5 garment" queued={queued} progress={progress === null ? null : JobProgressSchema.parse(progress)} />
    </I18nextProvider>,
  );
const attr = (markup: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(markup)?.[1];
const bar = (markup: string) => /<progress[^>]*>/.exec(markup)![0];

describe('AssemblyProgress', () => {
  it('shows the bytes done of the total from step and total, the bar at their ratio and the phase', () => {
    const markup = render({ fraction: 0.25, step: 1_250_000, total: 5_000_000, message: 'Downloading checkpoint.safetensors' });
    expect(attr(markup, 'data-done')).toBe('1250000');
    expect(attr(markup, 'data-total')).toBe('5000000');
    expect(attr(bar(markup), 'value')).toBe('0.25');
    expect(markup).toContain('<span data-testid="assembly-phase">Downloading checkpoint.safetensors</span>');
    expect(markup).toContain('<span data-testid="assembly-bytes">1.3 MB of 5 MB</span>');
  });

  it('keeps the bar indeterminate and shows the bytes alone while the total is unknown', () => {
    const markup = render({ fraction: null, step: 2048, total: 0, message: 'Filling unet' });
    expect(bar(markup)).not.toContain('value=');
    expect(markup).toContain('<span data-testid="assembly-bytes">2 KB</span>');
  });

  it('says the job is waiting or starting before the first progress event', () => {
    expect(render(null, true)).toContain('Waiting to start…');
    expect(render(null, false)).toContain('Starting…');
  });

  it('is not fed a progress without a fraction: the contract refuses the {done, total} shape', () => {
    // The shape the row was first written against; the schema keeps it from reaching the row unread.
    expect(JobProgressSchema.safeParse({ done: 10, total: 20, message: 'x' }).success).toBe(false);
    const sent: JobProgress = { fraction: 0.5, step: 10, total: 20 };
    expect(attr(render(sent), 'data-done')).toBe('10');
  });
});
