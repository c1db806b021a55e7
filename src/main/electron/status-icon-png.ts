import { crc32, deflateSync } from 'node:zlib';

/**
 * The tray's status dots, drawn in code: a filled, anti-aliased circle on a transparent square,
 * encoded as a minimal RGBA PNG (signature, IHDR, one IDAT, IEND). Shipping four image files per
 * resolution would be more to keep in sync than these few lines.
 */

export type Rgb = readonly [number, number, number];

export function statusDotPng(size: number, color: Rgb): Buffer {
  const center = size / 2;
  const radius = size / 2 - Math.max(1, size / 16);
  const rowLength = 1 + size * 4;
  const pixels = Buffer.alloc(rowLength * size);
  for (let y = 0; y < size; y++) {
    pixels[y * rowLength] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x + 0.5 - center, y + 0.5 - center);
      const coverage = Math.min(1, Math.max(0, radius + 0.5 - distance));
      const offset = y * rowLength + 1 + x * 4;
      pixels[offset] = color[0];
      pixels[offset + 1] = color[1];
      pixels[offset + 2] = color[2];
      pixels[offset + 3] = Math.round(coverage * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
