import fs from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { CatalogueSchema, type InstalledPack } from '../../../../shared/contract';
import { createI18n } from '../../lib/i18n';
import { InstalledPackRow } from './InstalledPackRow';
import { LicenceDialog } from './LicenceDialog';
import { licencesToAccept } from './recipe-state';
import { publisherName, RecipeRow } from './RecipeRow';

const shipped = CatalogueSchema.parse(JSON.parse(fs.readFileSync(new URL('../../../../../resources/models/catalogue.json', import.meta.url), 'utf8')));
const recipe = (id: string) => ({ ...shipped.recipes.find((r) => r.id === id)!, installedPackId: null, activeJobId: null });
const none = () => Promise.resolve();

const html = (language: 'en' | 'zh', node: React.ReactNode) => renderToStaticMarkup(<I18nextProvider i18n={createI18n(language)}>{node}</I18nextProvider>);
const text = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    // An inline <n> name followed by punctuation reads "sha256," on screen, not "sha256 ,".
    .replace(/ ([,.;:])/g, '$1')
    .trim();
const row = (language: 'en' | 'zh', id: string) =>
  html(language, <RecipeRow item={recipe(id)} job={null} progress={{}} paused={new Set()} onInstall={none} onPause={none} onCancel={none} />);
/** The text of each table row of the recipe's files. */
const fileRows = (markup: string) => [...markup.matchAll(/<tr data-testid="recipe-file"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]!));

describe('RecipeRow', () => {
  it('lists every public file with its size, how it is checked, its licence and its publisher', () => {
    const markup = row('en', 'sd15-garment');
    expect(fileRows(markup)).toEqual([
      'Serenity (SD1.5 - Photography) size unknown published sha256 ' + `${recipe('sd15-garment').files[0]!.sha256!.slice(0, 8)}… CreativeML OpenRAIL-M must be accepted huggingface.co/Acly/SD-Checkpoints`,
      'IP-Adapter SD 1.5 44.6 MB published sha256 289b45f1… Apache-2.0 (h94/IP-Adapter, as published) huggingface.co/h94/IP-Adapter',
      'IP-Adapter image encoder (OpenCLIP ViT-H/14) 2.5 GB published sha256 6ca9667d… Apache-2.0 (h94/IP-Adapter, as published) huggingface.co/h94/IP-Adapter',
      'ControlNet v1.1 line art (fp16) 723 MB published sha256 ' +
        `${recipe('sd15-garment').files[3]!.sha256!.slice(0, 8)}… OpenRAIL (ControlNet v1.1, as published) must be accepted huggingface.co/comfyanonymous/ControlNet-v1-1_fp16_safetensors`,
    ]);
    expect(markup).toContain('href="https://huggingface.co/spaces/CompVis/stable-diffusion-license"');
    expect(markup).toContain('href="https://huggingface.co/h94/IP-Adapter"');
  });

  it('gives the download and the free disk as lower bounds while a size is unpublished', () => {
    const t = text(row('en', 'sd15-garment'));
    expect(t).toContain('Download at least 3.3 GB');
    expect(t).toContain('Free disk needed while assembling at least 11.6 GB');
    expect(t).toContain("One file's size is not published");
    expect(row('en', 'sd15-garment')).toContain('data-testid="recipe-install"');
  });

  it("says a file without a published hash is checked against the server's", () => {
    const rows = fileRows(row('en', 'chinese-clip-motif'));
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toContain("size unknown the server's sha256, recorded at the first download MIT (Chinese-CLIP, OFA-Sys)");
    expect(text(row('en', 'chinese-clip-motif'))).toContain('2 files\' sizes are not published');
  });

  it('speaks Chinese', () => {
    const t = text(row('zh', 'sd15-garment'));
    expect(t).toContain('大小未知');
    expect(t).toContain('至少 3.3 GB');
    expect(t).toContain('组装时所需空闲磁盘空间');
  });

  it('names a publisher by its host and path', () => {
    expect(publisherName('https://huggingface.co/h94/IP-Adapter/')).toBe('huggingface.co/h94/IP-Adapter');
    expect(publisherName('not a url')).toBe('not a url');
  });
});

describe('LicenceDialog', () => {
  it('names each licence to accept with its link and a checkbox, and Install waits for all of them', () => {
    const licences = licencesToAccept(recipe('sd15-garment'));
    const markup = html('en', <LicenceDialog name="SD 1.5 garment" licences={licences} onAccept={() => undefined} onClose={() => undefined} />);
    expect(markup).toContain('role="dialog"');
    expect([...markup.matchAll(/data-testid="licence-accept"/g)]).toHaveLength(2);
    expect(text(markup)).toContain('I accept the CreativeML OpenRAIL-M licence');
    expect(markup).toContain('href="https://huggingface.co/spaces/CompVis/stable-diffusion-license"');
    expect(markup).toMatch(/<button type="submit"[^>]*data-testid="licence-install" disabled=""/);
  });
});

describe('the bundled garment pack', () => {
  const pack = (source: InstalledPack['source'], kind: InstalledPack['kind']): InstalledPack => ({
    id: 'jinxiu-garment-default',
    version: '1.0.0',
    kind,
    name: 'Jinxiu default garment pack',
    licence: 'MIT',
    source,
    path: '/app/resources/models/garment-default',
    sizeBytes: 1,
    providers: null,
    features: ['garment-generation'],
    lineArtControl: null,
    isDefault: true,
    inUse: 0,
    verification: { status: 'unverified', checkedAt: null, problems: [] },
  });
  const render = (p: InstalledPack) => html('en', <InstalledPackRow pack={p} onVerify={() => Promise.reject(new Error())} onRemove={none} onSetDefault={none} />);

  it('says plainly it is a small demonstration at its own size and what the real pack brings, and ships with the app', () => {
    const t = text(render({ ...pack('bundled', 'garment'), imageWidth: 256 }));
    expect(t).toContain('draws 256 px pictures');
    expect(t).toContain('512 px photographs');
    expect(t).toContain('several GB');
    expect(t).toContain('Ships with the app');
    expect(t).not.toContain('Not verified');
  });

  it('says nothing of the kind for a library pack or a motif pack', () => {
    expect(render(pack('library', 'garment'))).not.toContain('pack-demo-note');
    expect(render(pack('bundled', 'motif'))).not.toContain('pack-demo-note');
  });
});
