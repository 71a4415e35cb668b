// Meta's CDN, played by the emulator: attachment URLs of inbound messages point here
// (`/_emulator/cdn/<name>`), so an app can download and keep media offline. The bytes are small but
// real enough for content sniffing (PNG, MP4 `ftyp`, MP3 `ID3`, PDF) and, for PNG, to look at.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 160×120 PNG: a diagonal gradient in a hue derived from the name, so each file looks different. */
export function samplePng(name: string): Buffer {
  const w = 160;
  const h = 120;
  const hue = [...name].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) % 360, 11);
  const [r0, g0, b0] = [(hue * 7) % 256, (hue * 3) % 256, (hue * 5) % 256];
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const t = (x + y) / (w + h);
      raw[o] = Math.round(r0 * (1 - t) + 255 * t);
      raw[o + 1] = Math.round(g0 * (1 - t) + 200 * t);
      raw[o + 2] = Math.round(b0 * (1 - t) + 120 * t);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The bytes and the content type the CDN claims for a file name, by its extension. */
export function cdnFile(name: string): { bytes: Buffer; type: string } | null {
  const ext = name.split('.').pop()?.toLowerCase();
  switch (ext) {
    case 'png':
    case 'jpg':
      return { bytes: samplePng(name), type: ext === 'png' ? 'image/png' : 'image/jpeg' };
    case 'mp4': {
      const ftyp = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
      return { bytes: Buffer.concat([ftyp, Buffer.alloc(2048)]), type: 'video/mp4' };
    }
    case 'mp3':
    case 'aac': {
      // MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each) of silence.
      const frame = Buffer.alloc(417);
      frame.set([0xff, 0xfb, 0x90, 0x64]);
      return { bytes: Buffer.concat(Array.from({ length: 12 }, () => frame)), type: 'audio/mpeg' };
    }
    case 'pdf':
      return {
        bytes: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
        type: 'application/pdf',
      };
    case 'html':
      // Claims to be an image; an app that trusts the header would serve HTML as image/png.
      return { bytes: Buffer.from('<html><script>alert(1)</script></html>'), type: 'image/png' };
    default:
      return null;
  }
}
