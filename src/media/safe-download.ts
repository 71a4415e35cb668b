// Downloads one file from a URL Meta gave us, SSRF-safe (media-hosts.ts): the name is resolved once,
// every address checked, and the connection pinned to a checked address (no second resolution a DNS
// rebinding could answer differently); redirects are followed by hand (at most 3), each one checked
// like the first. Caps: 25 MB (Content-Length first, then counted while reading) and 30 s overall.
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress, type MediaHosts } from './media-hosts.ts';

export const MEDIA_MAX_BYTES = 25 * 1024 * 1024;
export const MEDIA_TIMEOUT_MS = 30_000;

/** Resolves a host name to all its addresses (injectable: tests resolve names without a DNS server). */
export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;
export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true });

/** Will not work however often it is tried: the message shows "media no longer available". */
export class MediaRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaRefusedError';
  }
}

/** Might work later (network, 5xx, timeout): retried with backoff. */
export class MediaFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaFetchError';
  }
}

export interface Downloaded {
  bytes: Buffer;
  /** What the server said; the bytes are sniffed as well (media-sniff.ts). */
  contentType: string | null;
  /** A file name from Content-Disposition or the URL's last segment. */
  name: string | null;
}

export interface DownloadOptions {
  hosts: MediaHosts;
  resolve?: Resolver;
  maxBytes?: number;
  timeoutMs?: number;
}

export async function safeDownload(rawUrl: string, opts: DownloadOptions): Promise<Downloaded> {
  const signal = AbortSignal.timeout(opts.timeoutMs ?? MEDIA_TIMEOUT_MS);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new MediaRefusedError('not a URL');
  }
  for (let hop = 0; hop <= 3; hop++) {
    const answer = await requestOnce(url, opts, signal);
    if ('redirect' in answer) {
      url = new URL(answer.redirect, url);
      continue;
    }
    return answer;
  }
  throw new MediaRefusedError('too many redirects');
}

async function requestOnce(
  url: URL,
  opts: DownloadOptions,
  signal: AbortSignal,
): Promise<Downloaded | { redirect: string }> {
  const verdict = opts.hosts.check(url);
  if (!verdict.ok) throw new MediaRefusedError(verdict.reason);
  let pinned: { address: string; family: number } | null = null;
  if (!verdict.literal) {
    let addresses: Array<{ address: string; family: number }>;
    try {
      addresses = await (opts.resolve ?? systemResolver)(url.hostname);
    } catch {
      throw new MediaFetchError(`cannot resolve ${url.hostname}`);
    }
    if (addresses.length === 0) throw new MediaFetchError(`no address for ${url.hostname}`);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) throw new MediaRefusedError(`${url.hostname} resolves to a non-public address`);
    pinned = addresses[0]!;
  }
  const lookup: LookupFunction | undefined = pinned
    ? (_host, options, cb) => {
        const p = pinned!;
        if ((options as { all?: boolean }).all) (cb as (e: null, a: unknown[]) => void)(null, [p]);
        else cb(null, p.address, p.family);
      }
    : undefined;
  const max = opts.maxBytes ?? MEDIA_MAX_BYTES;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { lookup, signal, headers: { accept: '*/*' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        resolve({ redirect: res.headers.location });
        return;
      }
      if (status !== 200) {
        res.resume();
        // 404/410/403: Meta's CDN forgot the file or the link expired; only 5xx and 429 may recover.
        const transient = status >= 500 || status === 429;
        reject(transient ? new MediaFetchError(`HTTP ${status}`) : new MediaRefusedError(`HTTP ${status}`));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      if (declared > max) {
        res.destroy();
        reject(new MediaRefusedError('larger than 25 MB'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) {
          res.destroy();
          reject(new MediaRefusedError('larger than 25 MB'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({
          bytes: Buffer.concat(chunks),
          contentType: res.headers['content-type'] ?? null,
          name: fileName(res.headers['content-disposition'], url),
        }),
      );
      res.on('error', (err) => reject(new MediaFetchError(err.message)));
    });
    req.on('error', (err) =>
      reject(new MediaFetchError(signal.aborted ? 'timed out after 30 s' : err.message)),
    );
  });
}

function fileName(disposition: string | undefined, url: URL): string | null {
  const m = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (m) {
    try {
      return decodeURIComponent(m[1]!).slice(0, 200);
    } catch {
      return m[1]!.slice(0, 200);
    }
  }
  const last = url.pathname.split('/').pop() ?? '';
  return /\.[A-Za-z0-9]{1,8}$/.test(last) ? decodeURIComponent(last).slice(0, 200) : null;
}
