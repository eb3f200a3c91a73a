/** Content codings for `serve`: which one a client accepts (RFC 9110 §12.5.3), and compressing to it. */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** A content coding `serve` sends. */
export type Coding = 'br' | 'gzip' | 'identity';

/**
 * RFC 9110 §12.5.3: the acceptable coding with the highest q-value, brotli before gzip on a tie;
 * `identity` wins only when the client ranks it above both. No header means identity.
 */
export function chooseEncoding(header: string | undefined): Coding {
  if (header === undefined || header.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const member of header.split(',')) {
    const [name = '', ...params] = member.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let quality = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*(\d+(?:\.\d*)?)\s*$/i.exec(param);
      if (m !== null) quality = Math.min(1, Number(m[1]));
    }
    q.set(coding === 'x-gzip' ? 'gzip' : coding, quality);
  }
  const star = q.get('*');
  const br = q.get('br') ?? star ?? 0;
  const gzip = q.get('gzip') ?? star ?? 0;
  const identity = q.get('identity');
  if (identity !== undefined && identity > Math.max(br, gzip)) return 'identity';
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

/** Text formats gain from compression; images and media are compressed already. */
export function isCompressible(type: string): boolean {
  return /^text\/|^application\/[\w.+-]*(?:xml|json)\b|^image\/svg\+xml/.test(type);
}

const brotliCompress = promisify(zlib.brotliCompress);
const gzipCompress = promisify(zlib.gzip);

/** `bytes` compressed at the highest level: done once per file version, then cached. */
export function compress(bytes: Buffer, coding: 'br' | 'gzip'): Promise<Buffer> {
  if (coding === 'gzip') return gzipCompress(bytes, { level: 9 });
  return brotliCompress(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}
