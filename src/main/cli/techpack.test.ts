import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../services/library';
import { sampleProject } from '../services/techpack/test-kit';
import { runJinxiu } from './test-kit';

let root: string;
let projectId: string;

const jinxiu = (...args: string[]) => runJinxiu(path.join(root, 'lib'), ...args);

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-techpack-cli-'));
  const lib = Library.open(path.join(root, 'lib'));
  const sample = await sampleProject(lib);
  projectId = sample.projectId;
  lib.close();
  fs.writeFileSync(path.join(root, 'doc.json'), JSON.stringify(sample.document));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('jinxiu techpack', () => {
  it('sets the document, preflights, exports PDF and PNG, lists revisions and re-exports a past one byte for byte', async () => {
    const refused = await jinxiu('techpack', 'set', '--project', projectId, '--file', path.join(root, 'missing.json'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Cannot read .*missing\.json as JSON/);

    // An empty tech pack has no style number and no points of measure beyond the flat's: preflight fails.
    const empty = await jinxiu('techpack', 'preflight', '--project', projectId);
    expect(empty.code).toBe(1);
    expect(empty.stdout).toMatch(/error\s+COVER_INCOMPLETE\s+cover#styleNumber/);

    expect((await jinxiu('techpack', 'set', '--project', projectId, '--file', path.join(root, 'doc.json'))).code).toBe(0);
    const ok = await jinxiu('techpack', 'preflight', '--project', projectId, '--paper', 'letter');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('0 error(s)');

    const pdf = path.join(root, 'out', 'tp.pdf');
    const exported = await jinxiu('techpack', 'export', '--project', projectId, '--format', 'pdf', '--out', pdf, '--paper', 'letter');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('revision 1 (new)');
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const pngs = await jinxiu('--json', 'techpack', 'export', '--project', projectId, '--format', 'png', '--dpi', '40', '--out', path.join(root, 'out', 'png'));
    expect(pngs.code).toBe(0);
    const result = JSON.parse(pngs.stdout) as { revision: number; files: { path: string }[] };
    expect(result.revision).toBe(1);
    // No --paper: the document paper, A4 landscape, 841.89 pt wide = 468 px at 40 dpi.
    expect(fs.readFileSync(result.files[0]!.path).readUInt32BE(16)).toBe(468);

    const badDpi = await jinxiu('techpack', 'export', '--project', projectId, '--format', 'png', '--dpi', '5000', '--out', path.join(root, 'x'));
    expect(badDpi.code).toBe(1);
    expect(badDpi.stderr).toBe('jinxiu: --dpi takes a whole number from 36 to 600, not "5000". [INVALID_INPUT]\n');

    const revisions = JSON.parse((await jinxiu('--json', 'techpack', 'revisions', '--project', projectId)).stdout) as { revision: number; fileSha256: string }[];
    expect(revisions.map((r) => r.revision)).toEqual([1]);
    const again = path.join(root, 'out', 'rev1.pdf');
    expect((await jinxiu('techpack', 'export', '--project', projectId, '--format', 'pdf', '--revision', '1', '--out', again)).code).toBe(0);
    expect(sha(again)).toBe(revisions[0]!.fileSha256);
    // Nine child processes, each starting tsx and loading the fonts: more than the default minute on a busy machine.
  }, 240_000);
});
