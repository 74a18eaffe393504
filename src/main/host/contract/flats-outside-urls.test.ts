import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { sampleFlat } from '../../../shared/flat/testing/fixtures';
import { openTempStudio, type TempStudio } from '../transport-test-kit';
import { importSvgFile } from '../../services/flats';

const OUTSIDE = 'http://example.com/p.svg#x';
const page = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="200mm" height="200mm" viewBox="0 0 200 200">${body}</svg>`;
const shape = '<path d="M10 10L90 10L90 90Z"';

/** The three ways issue 17 found to get an outside URL into a flat, as files on disk. */
const CASES = {
  attribute: page(`${shape} fill="url(${OUTSIDE})"/>`),
  styleAttribute: page(`${shape} style="fill:url('${OUTSIDE}')"/>`),
  escapedInStylesheet: page(`<style>.a { fill: u\\72l(${OUTSIDE}) }</style>${shape} class="a"/>`),
};

let t: TempStudio;
let projectId: string;
beforeEach(async () => {
  t = openTempStudio();
  projectId = (await t.call<{ id: string }>('projects.create', { name: 'Outside URLs' })).id;
});
afterEach(() => t.close());

describe('outside URLs never reach a flat', () => {
  it.each(Object.entries(CASES))('an import with one (%s) is refused with the reason, and the file stays as it was', async (name, text) => {
    const file = path.join(t.dir, `${name}.svg`);
    fs.writeFileSync(file, text);
    const error = await importSvgFile(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(AppError.is(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(/refers to an outside resource.*only references inside the file are accepted/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('a document carrying one as a colour is not saved, and a flat keeps its saved version', async () => {
    const bad = sampleFlat();
    const panel = bad.views[0]!.items[0]!;
    if (panel.type !== 'shape') throw new Error('fixture changed');
    panel.style.fill = `url(${OUTSIDE})`;
    const refused = await t.fails('flats.create', { projectId, doc: bad });
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/fill.*A colour is #rrggbb/) });
    expect(await t.call('flats.list', { projectId })).toEqual([]);

    const created = await t.call<{ flat: { id: string } }>('flats.create', { projectId, doc: sampleFlat() });
    expect((await t.fails('flats.save', { id: created.flat.id, doc: bad, history: null })).code).toBe('BAD_REQUEST');
    const stored = await t.call<{ flat: { headVersion: number }; doc: unknown }>('flats.get', { id: created.flat.id });
    expect(stored.flat.headVersion).toBe(1);
    expect(stored.doc).toEqual({ ...sampleFlat(), id: created.flat.id });
  });
});
