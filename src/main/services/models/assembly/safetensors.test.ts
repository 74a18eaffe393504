import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract';
import { decodeFloats, encodeFloats } from './dtype';
import { SafetensorsFile } from './safetensors';
import { tempDir, writeKeyList, writeRawSafetensors, writeSafetensors } from './test-kit';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const specials = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'specials-golden.json'), 'utf8')) as Record<
  'f16' | 'bf16' | 'f32ToF16',
  { halfBits: number[]; float32Bits: number[] }
>;

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (name = 'x.safetensors') => path.join(dir, `${n++}-${name}`);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

function rawFile(bytes: Uint8Array): string {
  const f = file();
  fs.writeFileSync(f, bytes);
  return f;
}

const bitsOf = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));

describe('reading files the safetensors library wrote', () => {
  it('lists keys, dtypes, shapes and metadata of the twin checkpoint', async () => {
    const st = await SafetensorsFile.open(path.join(FIXTURES, 'tiny-sources', 'checkpoint.safetensors'));
    try {
      expect(st.metadata).toEqual({ format: 'pt' });
      expect(st.info('model.diffusion_model.input_blocks.1.1.proj_in.weight')).toMatchObject({ dtype: 'F32', shape: [16, 8, 1, 1], elements: 128 });
      expect(st.info('model.diffusion_model.input_blocks.0.0.bias')).toMatchObject({ dtype: 'BF16', shape: [3] });
      expect(st.info('model_ema.decay')).toMatchObject({ dtype: 'F32', shape: [], elements: 1 });
      expect(st.info('cond_stage_model.transformer.text_model.embeddings.position_ids')).toMatchObject({ dtype: 'I64', shape: [1, 3] });
      expect([...st.keys()]).toHaveLength(13);
    } finally {
      await st.close();
    }
  });

  it('converts F16 and BF16 exactly as torch does, subnormals, infinities and NaN included', async () => {
    const st = await SafetensorsFile.open(path.join(FIXTURES, 'specials.safetensors'));
    try {
      expect(bitsOf(await st.readFloat32('f16'))).toEqual(specials.f16.float32Bits);
      expect(bitsOf(await st.readFloat32('bf16'))).toEqual(specials.bf16.float32Bits);
    } finally {
      await st.close();
    }
  });
});

describe('float16 conversion', () => {
  it('decodes every one of the 65536 halves to the value IEEE 754 defines', () => {
    const halves = new Uint16Array(65536).map((_, i) => i);
    const out = new Float32Array(65536);
    decodeFloats('F16', new Uint8Array(halves.buffer), out);
    const wrong: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const sign = h & 0x8000 ? -1 : 1;
      const exp = (h >> 10) & 0x1f;
      const mant = h & 0x3ff;
      const want = exp === 0 ? sign * mant * 2 ** -24 : exp === 31 ? (mant ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + mant / 1024);
      if (!Object.is(out[h], want)) wrong.push(`0x${h.toString(16)}: ${out[h]} instead of ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it('encodes float32 to float16 exactly as numpy rounds it (ties to even, overflow, subnormals)', () => {
    const values = new Float32Array(new Uint32Array(specials.f32ToF16.float32Bits).buffer);
    const halves = new Uint16Array(encodeFloats(values, 'float16').slice().buffer);
    expect(Array.from(halves)).toEqual(specials.f32ToF16.halfBits);
  });

  it('encodes every finite half back to itself and keeps NaN a NaN', () => {
    const halves = new Uint16Array(65536).map((_, i) => i);
    const floats = new Float32Array(65536);
    decodeFloats('F16', new Uint8Array(halves.buffer), floats);
    const back = new Uint16Array(encodeFloats(floats, 'float16').slice().buffer);
    const wrong: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const isNaN = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      const ok = isNaN ? (back[h]! & 0x7c00) === 0x7c00 && (back[h]! & 0x3ff) !== 0 : back[h] === h;
      if (!ok) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });
});

describe('chunked reading', () => {
  it('reads a tensor in element-aligned chunks no bigger than asked, with the same values as one read', async () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 100);
    const f = writeSafetensors(file(), { a: { dtype: 'F32', shape: [7] }, big: { dtype: 'F16', shape: [10, 100], values } });
    const st = await SafetensorsFile.open(f);
    try {
      const sizes: number[] = [];
      const pieces: Float32Array[] = [];
      for await (const chunk of st.chunks('big', 101)) {
        sizes.push(chunk.byteLength);
        const part = new Float32Array(chunk.byteLength / 2);
        decodeFloats('F16', chunk, part);
        pieces.push(part);
      }
      expect(Math.max(...sizes)).toBe(100);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000);
      const joined = new Float32Array(1000);
      let at = 0;
      for (const p of pieces) joined.set(p, (at += p.length) - p.length);
      expect(joined).toEqual(await st.readFloat32('big'));
      // F16 keeps ~3 significant digits: the values are the ones written, rounded.
      expect(Math.abs(joined[999]! - values[999]!)).toBeLessThan(0.05);
    } finally {
      await st.close();
    }
  });

  it('allows gaps between tensors and zero-size tensors anywhere', async () => {
    const header = { a: { dtype: 'F32', shape: [2], data_offsets: [8, 16] }, empty: { dtype: 'F32', shape: [0, 4], data_offsets: [8, 8] } };
    const data = Buffer.alloc(24);
    data.writeFloatLE(1.5, 8);
    data.writeFloatLE(-2, 12);
    const st = await SafetensorsFile.open(writeRawSafetensors(file(), JSON.stringify(header), data));
    try {
      expect(Array.from(await st.readFloat32('a'))).toEqual([1.5, -2]);
      expect(await st.readFloat32('empty')).toHaveLength(0);
    } finally {
      await st.close();
    }
  });

  it('says the file is truncated when it shrinks after opening', async () => {
    const f = writeSafetensors(file(), { w: { dtype: 'F32', shape: [64] } });
    const st = await SafetensorsFile.open(f);
    try {
      fs.truncateSync(f, fs.statSync(f).size - 16);
      const err = await refusal(st.readFloat32('w'));
      expect(err.code).toBe('MODEL_INVALID');
      expect(err.message).toMatch(/truncated/);
    } finally {
      await st.close();
    }
  });

  it('names the file and the key when a tensor is not there', async () => {
    const st = await SafetensorsFile.open(writeKeyList(file('base.safetensors'), { a: [1] }));
    try {
      const err = await refusal(st.readFloat32('b'));
      expect(err.message).toMatch(/base\.safetensors has no tensor "b"/);
    } finally {
      await st.close();
    }
  });
});

describe('hostile and broken headers', () => {
  const header = (h: unknown) => JSON.stringify(h);
  const cases: Array<[string, () => string, RegExp]> = [
    ['an absurd header length', () => writeRawSafetensors(file(), '{}', Buffer.alloc(0), 1n << 40n), /header claims 1099511627776 bytes; more than 104857600 is refused/],
    ['a header length just over the limit', () => writeRawSafetensors(file(), '{}', Buffer.alloc(0), 100n * 1024n * 1024n + 1n), /more than 104857600 is refused/],
    ['a header running past the end of the file', () => writeRawSafetensors(file(), '{}', Buffer.alloc(0), 4096n), /header claims 4096 bytes but the file has only 8/],
    ['a file shorter than the length prefix', () => rawFile(Buffer.from([1, 0, 0])), /too short/],
    ['an empty file', () => rawFile(Buffer.alloc(0)), /only 0 bytes long/],
    ['a header that is not JSON', () => writeRawSafetensors(file(), '{"a": [1, 2', Buffer.alloc(0)), /not valid JSON/],
    ['a header that is a JSON array', () => writeRawSafetensors(file(), '[1, 2]', Buffer.alloc(0)), /not a JSON object/],
    ['a header that is not UTF-8', () => writeRawSafetensors(file(), Buffer.from('{"\xff": 1}', 'latin1'), Buffer.alloc(0)), /its header is not UTF-8 text/],
    ['an unknown dtype', () => writeRawSafetensors(file(), header({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }), Buffer.alloc(16)), /tensor "w" has unknown dtype "F128"/],
    ['a dtype of the wrong type', () => writeRawSafetensors(file(), header({ w: { dtype: 4, shape: [1], data_offsets: [0, 4] } }), Buffer.alloc(4)), /unknown dtype 4/],
    ['a negative dimension', () => writeRawSafetensors(file(), header({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }), Buffer.alloc(4)), /shape \[-1\], not a list of non-negative integers/],
    ['a fractional dimension', () => writeRawSafetensors(file(), header({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }), Buffer.alloc(4)), /not a list of non-negative integers/],
    ['a shape that is not a list', () => writeRawSafetensors(file(), header({ w: { dtype: 'F32', shape: '4', data_offsets: [0, 16] } }), Buffer.alloc(16)), /shape "4"/],
    ['an element count past 2^53', () => writeRawSafetensors(file(), header({ w: { dtype: 'F32', shape: [2 ** 30, 2 ** 30], data_offsets: [0, 4] } }), Buffer.alloc(4)), /too many elements/],
    ['data_offsets with three numbers', () => writeRawSafetensors(file(), header({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }), Buffer.alloc(8)), /not \[begin, end\]/],
    ['data_offsets that end before they begin', () => writeRawSafetensors(file(), header({ w: { dtype: 'F32', shape: [1], data_offsets: [8, 4] } }), Buffer.alloc(8)), /end before they begin/],
    ['a tensor past the end of the data', () => writeRawSafetensors(file(), header({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }), Buffer.alloc(12)), /past its end \(12 bytes\); the file is truncated/],
    ['a byte length that is not shape x dtype', () => writeRawSafetensors(file(), header({ w: { dtype: 'F16', shape: [2, 3], data_offsets: [0, 8] } }), Buffer.alloc(8)), /\(F16 \[2, 3\]\) needs 12 bytes but data_offsets \[0, 8\] hold 8/],
    [
      'overlapping tensors',
      () => writeRawSafetensors(file(), header({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }), Buffer.alloc(16)),
      /tensors "a" and "b" overlap/,
    ],
    ['a tensor entry that is not an object', () => writeRawSafetensors(file(), header({ w: [1] }), Buffer.alloc(0)), /tensor "w" is not an object/],
    ['metadata that is not an object', () => writeRawSafetensors(file(), header({ __metadata__: 'x' }), Buffer.alloc(0)), /__metadata__ is not an object/],
    ['metadata with a non-string value', () => writeRawSafetensors(file(), header({ __metadata__: { epochs: 3 } }), Buffer.alloc(0)), /__metadata__\.epochs is not a string/],
  ];

  it.each(cases)('refuses %s with MODEL_INVALID and the reason', async (_what, make, reason) => {
    const f = make();
    const err = await refusal(SafetensorsFile.open(f));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/is not a valid safetensors file: /);
    expect(err.message).toMatch(reason);
  });

  it('says a missing file is not found', async () => {
    const err = await refusal(SafetensorsFile.open(path.join(dir, 'nope.safetensors')));
    expect(err.code).toBe('NOT_FOUND');
  });
});

describe('pickles are refused without being opened', () => {
  it.each(['model.ckpt', 'model.pt', 'model.pth', 'pytorch_model.bin', 'MODEL.CKPT'])('by name: %s', async (name) => {
    // The file does not even exist: the name alone is enough, so nothing is read.
    const err = await refusal(SafetensorsFile.open(path.join(dir, name)));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/this is a pickle checkpoint \(\.\w+\); please use its \.safetensors file/i);
  });

  it.each([
    ['a PyTorch zip archive', Buffer.from('PK\x03\x04\x14\x00\x00\x00archive/data.pkl', 'latin1')],
    ['pickle protocol 2', Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20])],
    ['pickle protocol 4', Buffer.from([0x80, 0x04, 0x95, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])],
  ])('by content when renamed to .safetensors: %s', async (what, bytes) => {
    const f = file('renamed.safetensors');
    fs.writeFileSync(f, bytes);
    const err = await refusal(SafetensorsFile.open(f));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain(`this is a pickle checkpoint (${what}); please use its .safetensors file`);
  });
});
