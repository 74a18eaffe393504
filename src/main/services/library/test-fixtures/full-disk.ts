/**
 * Run by files.test.ts inside a private mount namespace whose library folder is a tiny tmpfs, so the
 * disk really fills up. Prints one JSON line describing what the store did.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../../../shared/contract';
import { Library } from '../index';

const dir = process.argv[2];
if (!dir) throw new Error('usage: full-disk.ts <library dir>');

const listAll = (d: string): string[] =>
  fs.existsSync(d) ? fs.readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : [];

async function attempt(put: () => Promise<unknown>): Promise<{ code: string; message: string } | { ok: true }> {
  try {
    await put();
    return { ok: true };
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    return { code: 'NOT_APP_ERROR', message: String(err) };
  }
}

const lib = Library.open(dir);
const big = Buffer.alloc(3 * 1024 * 1024, 7);
const fromBytes = await attempt(() => lib.files.put(big, 'image/png'));
const fromStream = await attempt(() =>
  lib.files.put(Readable.from((function* () { for (let i = 0; i < 48; i++) yield Buffer.alloc(64 * 1024, i); })()), 'image/png'),
);
const after = { tmp: listAll(lib.files.tmpDir), files: listAll(lib.files.filesDir), rows: lib.info().files.count };
const small = await lib.files.put(Buffer.from('a small swatch'), 'image/png');
const smallRead = (await lib.files.read(small.sha256)).toString();
lib.close();
process.stdout.write(`${JSON.stringify({ fromBytes, fromStream, after, small, smallRead })}\n`);
