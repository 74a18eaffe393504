import { crc32, deflateSync } from 'node:zlib';
import type { F32 } from './tensor';

/** An 8-bit RGB image, rows top to bottom. */
export interface Rgb8 {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The VAE's [1, 3, H, W] output in [-1, 1] to 8-bit RGB: (x + 1) / 2, clamped, times 255, rounded. */
export function imageFromDecoder(image: F32): Rgb8 {
  const [, channels, height, width] = image.dims as [number, number, number, number];
  if (channels !== 3) throw new Error(`the decoder gave ${channels} channels, expected 3`);
  const data = new Uint8Array(width * height * 3);
  const plane = width * height;
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < plane; p++) {
      const v = Math.min(1, Math.max(0, (image.data[c * plane + p]! + 1) / 2));
      data[p * 3 + c] = Math.round(v * 255);
    }
  }
  return { width, height, data };
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

/**
 * A PNG with text entries: iTXt (UTF-8, so Chinese prompts survive), uncompressed. Written by hand
 * rather than by an encoder library so the same pixels and text always give the same bytes.
 */
export function encodePng(image: Rgb8, text: Record<string, string>): Buffer {
  const { width, height, data } = image;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 3 + 1)] = 0; // filter: none
    rows.set(data.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const texts = Object.entries(text).map(([keyword, value]) => {
    if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error(`PNG text keyword "${keyword}" must be 1-79 printable Latin-1 characters`);
    // keyword \0, compression flag 0, method 0, empty language tag \0, empty translated keyword \0, text
    return chunk('iTXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(value, 'utf8')]));
  });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...texts,
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The iTXt/tEXt entries of a PNG, for reading parameters back. */
export function readPngText(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    const zero = body.indexOf(0);
    if (type === 'tEXt' && zero > 0) out[body.toString('latin1', 0, zero)] = body.toString('latin1', zero + 1);
    if (type === 'iTXt' && zero > 0 && body[zero + 1] === 0) {
      const lang = body.indexOf(0, zero + 3);
      const translated = body.indexOf(0, lang + 1);
      out[body.toString('latin1', 0, zero)] = body.toString('utf8', translated + 1);
    }
    at += 12 + length;
  }
  return out;
}
