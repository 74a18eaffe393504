import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileWriter, STAGING_BYTES } from './data-writer';
import { tempDir } from './test-kit';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Bytes that differ at every position, so a piece written at the wrong offset shows. */
function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/**
 * The same mix a data file gets: small tensors, alignment gaps, pieces filled in place with room()
 * and advance(), and a write bigger than a staging buffer, across several staging buffers.
 */
async function writeMix(file: string, hashOnThread: boolean): Promise<{ sha256: string; size: number; expected: Uint8Array }> {
  const writer = await DataFileWriter.create(file, { hashOnThread });
  const parts: Uint8Array[] = [];
  const write = async (bytes: Uint8Array) => {
    await writer.write(bytes);
    parts.push(bytes.slice());
    // Reusing the caller's buffer at once must not change what was written.
    bytes.fill(0xee);
  };
  await write(pattern(7, 1));
  await writer.padTo(64);
  parts.push(new Uint8Array(57));
  await write(pattern(2 * STAGING_BYTES + 333, 2));
  for (let i = 0; i < 40; i++) {
    const want = pattern(100_000 + i, 10 + i);
    let done = 0;
    while (done < want.byteLength) {
      const room = await writer.room(4);
      const n = Math.min(room.byteLength, want.byteLength - done);
      room.set(want.subarray(done, done + n));
      writer.advance(n);
      done += n;
    }
    parts.push(want);
  }
  const tail = writer.position;
  await writer.padTo(tail + 3);
  parts.push(new Uint8Array(3));
  const done = await writer.commit();
  return { ...done, expected: Buffer.concat(parts) };
}

describe('DataFileWriter', () => {
  for (const hashOnThread of [false, true]) {
    it(`writes every byte at its place and gives the file's own sha256 (hashed ${hashOnThread ? 'on its own thread' : 'inline'})`, async () => {
      const file = path.join(dir, `mix-${hashOnThread}.onnx.data`);
      const { sha256, size, expected } = await writeMix(file, hashOnThread);
      const written = fs.readFileSync(file);
      expect(size).toBe(expected.byteLength);
      expect(size).toBeGreaterThan(2 * STAGING_BYTES);
      expect(Buffer.compare(written, expected)).toBe(0);
      expect(sha256).toBe(createHash('sha256').update(written).digest('hex'));
      expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    });
  }

  it('leaves nothing behind when discarded with writes and hashing in flight', async () => {
    const file = path.join(dir, 'dropped.onnx.data');
    const writer = await DataFileWriter.create(file, { hashOnThread: true });
    await writer.write(pattern(3 * STAGING_BYTES, 5));
    await writer.discard();
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.dropped'))).toEqual([]);
  });
});
