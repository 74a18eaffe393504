import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studio } from '../../studio';

// A real library: renders recorded with and without a colorway start (params.init, as the garment
// job writes it), read back through the history service as the panel reads them.
let root: string;
let studio: Studio;
let projectId: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-history-init-'));
  studio = Studio.open({ libraryDir: path.join(root, 'library') });
  projectId = studio.library.projects.create('Colorway starts').id;
  const { sha256 } = await studio.library.files.put(Buffer.from('not a real png, only a stored file'), 'image/png');
  const params = [
    { init: { kind: 'colorway', strength: 0.6, source: { from: 'prompt-colour', colour: 'red', hex: '#c8102e' } } },
    { init: null },
    {}, // a render from before the init was recorded
  ];
  studio.generationStore.insert(
    params.map((p, i) => ({
      id: `g-${i}`,
      projectId,
      jobId: null,
      flatId: null,
      flatVersion: null,
      prompt: 'a red cotton shirt',
      negativePrompt: '',
      variant: 'image-biased' as const,
      alpha: 1,
      alphaAuto: false,
      seed: i,
      steps: 10,
      guidanceScale: 5,
      width: 64,
      height: 64,
      scheduler: 'ddim',
      packId: 'jinxiu-sd15-garment',
      packVersion: '1.0.0',
      provider: 'cpu',
      params: p,
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

describe('the history records how a render started', () => {
  it('reads the colorway start and its strength back, and null for noise and for older renders', () => {
    const byId = new Map(studio.generations.list({ projectId }).items.map((r) => [r.id, r.init]));
    expect(byId.get('g-0')).toEqual({ kind: 'colorway', strength: 0.6 });
    expect(byId.get('g-1')).toBeNull();
    expect(byId.get('g-2')).toBeNull();
    expect(studio.generationStore.find('g-0')?.init).toEqual({ kind: 'colorway', strength: 0.6 });
  });
});
