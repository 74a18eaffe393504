/**
 * Indexing throughput for `npm run bench:motifs`: images per second through the whole LACLIP
 * indexing path the studio runs (indexMotifs: read the image from the library's file store, decode,
 * the global view and the pack's k crops preprocessed and encoded in the inference worker, crop
 * weights, the motif's rows written in one transaction), with the default motif pack, on the real
 * photos of the shared heritage_motifs folder.
 *
 * The motifs are imported into a temp library first (the import job is not timed), and the worker is
 * the app's own (createStudioInference: the library's provider choice, probed in a throwaway process),
 * so the provider printed is the one the studio would use on this machine. One image is encoded before
 * the clock starts, so session creation is not counted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Library } from '../src/main/services/library';
import { MotifEncoder, readMotifModel } from '../src/main/services/motif/encoder';
import { importMotifs } from '../src/main/services/motif/import';
import { indexMotifs } from '../src/main/services/motif/vectors';
import { sharedData } from '../src/main/shared-data';
import { createStudioInference, forkLauncher, readProviderChoice } from '../src/main/workers';

export interface IndexingResult {
  pack: string;
  provider: string;
  images: number;
  failed: number;
  /** Views encoded per image: the whole image and its crops. */
  views: number;
  seconds: number;
  imagesPerSecond: number;
}

export async function indexingThroughput(packDir: string): Promise<IndexingResult> {
  const heritage = sharedData('heritage_motifs');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-bench-indexing-'));
  const library = Library.open(path.join(tmp, 'library'));
  const worker = createStudioInference({ db: library.db, launch: forkLauncher({ quiet: true }) });
  try {
    const imported = await importMotifs(library, { folder: heritage, captions: path.join(heritage, 'captions.jsonl') });
    if (imported.imported === 0) throw new Error(`No motif of ${heritage} could be imported.`);
    const pack = readMotifModel(packDir);
    const encoder = new MotifEncoder(worker, pack);
    const first = fs.readdirSync(path.join(heritage, 'images')).find((f) => /\.(jpe?g|png)$/i.test(f));
    if (!first) throw new Error(`No image in ${heritage}/images.`);
    const warm = await encoder.encodeImage(fs.readFileSync(path.join(heritage, 'images', first)));

    const started = performance.now();
    const report = await indexMotifs(library, encoder);
    const seconds = (performance.now() - started) / 1000;
    const choice = readProviderChoice(library.db);
    return {
      pack: `${pack.id}@${pack.version}`,
      provider: choice ? `${choice.chosen} (probed; onnxruntime ${choice.onnxruntime})` : 'cpu (no probe stored)',
      images: report.indexed,
      failed: report.failed,
      views: 1 + warm.crops.length,
      seconds,
      imagesPerSecond: report.indexed / seconds,
    };
  } finally {
    await worker.shutdown();
    library.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
