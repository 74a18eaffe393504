import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../studio';

// A real library in a temp folder: history rows written through the store into SQLite, searched
// through the service as the history panel searches them.
let root: string;
let studio: Studio;
let projectId: string;

const PROMPTS = ['白色真丝旗袍，短袖，立领', 'red silk qipao with a dragon', 'navy denim jacket, long sleeves', '炭灰色羊毛大衣', 'a cotton tee'];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-history-search-'));
  studio = Studio.open({ libraryDir: path.join(root, 'library') });
  projectId = studio.library.projects.create('旗袍 capsule').id;
  const { sha256 } = await studio.library.files.put(Buffer.from('not a real png, only a stored file'), 'image/png');
  studio.generationStore.insert(
    PROMPTS.map((prompt, i) => ({
      id: `g-${i}`,
      projectId,
      jobId: null,
      flatId: null,
      flatVersion: null,
      prompt,
      negativePrompt: '',
      variant: 'image-biased' as const,
      alpha: 0.8,
      alphaAuto: true,
      seed: i,
      steps: 2,
      guidanceScale: 7.5,
      width: 64,
      height: 64,
      scheduler: 'ddim',
      packId: 'jinxiu-garment-tiny-random',
      packVersion: '1',
      provider: 'cpu',
      params: {},
      fileSha256: sha256,
      durationMs: 1,
      swatchId: null,
      createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
    })),
  );
});

afterAll(async () => {
  await studio.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const found = (text: string) =>
  studio.generations
    .list({ projectId, text })
    .items.map((g) => g.prompt)
    .sort();

describe('history search across languages', () => {
  it('finds a Chinese prompt by its English garment name and an English one by its Chinese name', () => {
    expect(found('qipao')).toEqual([PROMPTS[0], PROMPTS[1]].sort());
    expect(found('旗袍')).toEqual([PROMPTS[0], PROMPTS[1]].sort());
    expect(found('Cheongsam')).toEqual([PROMPTS[0], PROMPTS[1]].sort());
  });

  it('finds fabrics and colours in the other language, every term of the query at once', () => {
    expect(found('真丝')).toEqual([PROMPTS[0], PROMPTS[1]].sort());
    expect(found('white silk qipao')).toEqual([PROMPTS[0]]);
    expect(found('charcoal')).toEqual([PROMPTS[3]]);
    expect(found('牛仔 夹克')).toEqual([PROMPTS[2]]);
  });

  it('keeps words the lexicon does not know as written, and finds nothing for what no prompt says', () => {
    expect(found('dragon')).toEqual([PROMPTS[1]]);
    expect(found('旗袍 dragon')).toEqual([PROMPTS[1]]);
    expect(found('velvet qipao')).toEqual([]);
    // A Latin term is a whole word: "tee" is not in "teeth", and "silk" alone finds no denim.
    expect(found('teeth')).toEqual([]);
    expect(found('tee')).toEqual([PROMPTS[4]]);
    expect(found('silk')).not.toContain(PROMPTS[2]);
  });
});
