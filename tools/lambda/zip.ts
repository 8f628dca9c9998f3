/**
 * A small, reproducible ZIP writer (deflate, no ZIP64): the fallback of `scripts/build.ts` where the `zip` command
 * is missing. Entries keep their Unix mode (the `bootstrap` and `bin/deno` must stay executable in Lambda) and get
 * a fixed timestamp (1980-01-01 00:00), so the same inputs always give the same bytes and the same
 * `source_code_hash` in Terraform.
 *
 * Format: PKWARE APPNOTE 6.3.x, sections 4.3.7 (local header), 4.3.12 (central directory), 4.3.16 (end record).
 *
 * @module
 */

/** One file of an archive. */
export interface ZipEntry {
  /** Path inside the archive, with `/` separators and no leading `/` (e.g. `bin/deno`). */
  name: string;
  /** The file's bytes. */
  data: Uint8Array;
  /** Unix permission bits (default `0o644`; `0o755` for executables). */
  mode?: number;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE 802.3) of `data`, as ZIP stores it.
 *
 * @example
 * ```ts
 * import { crc32 } from "./zip.ts";
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 * ```
 */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("deflate-raw"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const LIMIT = 0xffffffff;

/**
 * Builds a ZIP archive of `entries`, in the given order, each deflated (or stored when deflating does not help).
 *
 * @example
 * ```ts
 * import { zipBytes } from "./zip.ts";
 * const zip = await zipBytes([{ name: "bootstrap", data: new TextEncoder().encode("#!/bin/sh\n"), mode: 0o755 }]);
 * ```
 * @throws Error on an empty, absolute or duplicate name, or an archive past 4 GiB (ZIP64 is not written).
 */
export async function zipBytes(entries: ZipEntry[]): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const entry of entries) {
    if (!entry.name || entry.name.startsWith("/") || entry.name.includes("\\")) {
      throw new Error(
        `Bad ZIP entry name ${JSON.stringify(entry.name)}: use a relative path with / separators`,
      );
    }
    if (seen.has(entry.name)) throw new Error(`Duplicate ZIP entry name ${JSON.stringify(entry.name)}`);
    seen.add(entry.name);
    const name = encoder.encode(entry.name);
    const crc = crc32(entry.data);
    const deflated = await deflateRaw(entry.data);
    const stored = deflated.length >= entry.data.length;
    const payload = stored ? entry.data : deflated;
    const method = stored ? 0 : 8;
    if (entry.data.length >= LIMIT || offset + payload.length >= LIMIT) {
      throw new Error(`ZIP entry ${entry.name} goes past 4 GiB: ZIP64 is not supported`);
    }

    const header = { name, method, crc, size: payload.length, rawSize: entry.data.length };
    const local = localHeader(header);
    const central = centralHeader(header, entry.mode ?? 0o644, offset);

    locals.push(local, payload);
    centrals.push(central);
    offset += local.length + payload.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); // end of central directory signature
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);

  const out = new Uint8Array(offset + centralSize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** What the local and central headers of one entry record. */
interface Header {
  name: Uint8Array;
  method: number;
  crc: number;
  /** Stored (compressed) size. */
  size: number;
  rawSize: number;
}

/** The local file header of an entry. */
function localHeader(h: Header): Uint8Array {
  const local = new Uint8Array(30 + h.name.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true); // local file header signature
  lv.setUint16(4, 20, true); // version needed: 2.0 (deflate)
  lv.setUint16(6, 0x0800, true); // flags: UTF-8 names
  lv.setUint16(8, h.method, true);
  lv.setUint16(10, 0, true); // time 00:00:00
  lv.setUint16(12, DOS_DATE_1980_01_01, true);
  lv.setUint32(14, h.crc, true);
  lv.setUint32(18, h.size, true);
  lv.setUint32(22, h.rawSize, true);
  lv.setUint16(26, h.name.length, true);
  lv.setUint16(28, 0, true); // extra field length
  local.set(h.name, 30);
  return local;
}

/** The central directory header of an entry written at `offset`, with its Unix `mode`. */
function centralHeader(h: Header, mode: number, offset: number): Uint8Array {
  const central = new Uint8Array(46 + h.name.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true); // central directory header signature
  cv.setUint16(4, (3 << 8) | 20, true); // made by: Unix, 2.0 (so the mode below is honoured)
  cv.setUint16(6, 20, true);
  cv.setUint16(8, 0x0800, true);
  cv.setUint16(10, h.method, true);
  cv.setUint16(12, 0, true);
  cv.setUint16(14, DOS_DATE_1980_01_01, true);
  cv.setUint32(16, h.crc, true);
  cv.setUint32(20, h.size, true);
  cv.setUint32(24, h.rawSize, true);
  cv.setUint16(28, h.name.length, true);
  // 30 extra length, 32 comment length, 34 disk number, 36 internal attributes: all 0
  cv.setUint32(38, ((0o100000 | mode) << 16) >>> 0, true); // external: regular file + mode
  cv.setUint32(42, offset, true);
  central.set(h.name, 46);
  return central;
}
