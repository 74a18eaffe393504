import fs from 'node:fs';
import path from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePack, openManager, tempDir, writePackFolder } from '../../../../main/services/models/test-packs';
import { createI18n } from '../../lib/i18n';
import { InstalledPackRow } from './InstalledPackRow';

// The rows are drawn from what a real model manager lists on a real library, as the panel shows them.
let root: string;
let env: ReturnType<typeof openManager>;

beforeEach(() => {
  root = tempDir('row-default');
  writePackFolder(path.join(root, 'bundled', 'motif-default'), makePack('motif-default', {}, { kind: 'motif' }));
  env = openManager(root);
});

afterEach(async () => {
  await env.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const none = () => Promise.resolve();

/** Each listed pack's row: `source:id`, whether it wears the Default badge, whether it offers Make default. */
async function rows(): Promise<[string, boolean, boolean][]> {
  const i18n = createI18n('en');
  return (await env.models.list()).map((pack) => {
    const markup = renderToStaticMarkup(
      <I18nextProvider i18n={i18n}>
        <InstalledPackRow pack={pack} onVerify={() => Promise.reject(new Error('unused'))} onRemove={none} onSetDefault={none} />
      </I18nextProvider>,
    );
    const badge = /data-testid="pack-default-badge"[^>]*>Default</.test(markup);
    return [`${pack.source}:${pack.id}`, badge, markup.includes('data-testid="pack-set-default"')];
  });
}

describe('InstalledPackRow on a real library', () => {
  it('the bundled motif pack that searches use with no default chosen wears the badge and offers no Make default', async () => {
    expect(await rows()).toEqual([['bundled:motif-default', true, false]]);
  });

  it('once another pack is chosen, the bundled pack offers Make default and the chosen one wears the badge', async () => {
    await env.models.installFromPath(writePackFolder(path.join(root, 'src'), makePack('cn-clip-laclip', {}, { kind: 'motif' })));
    await env.models.setDefault('cn-clip-laclip');
    expect(await rows()).toEqual([
      ['library:cn-clip-laclip', true, false],
      ['bundled:motif-default', false, true],
    ]);
    await env.models.setDefault('motif-default');
    expect(await rows()).toEqual([
      ['library:cn-clip-laclip', false, true],
      ['bundled:motif-default', true, false],
    ]);
  });
});
