// Posts webhook bodies the way Meta does, with full control over the bytes and headers: a signature
// computed here from the app secret (the same HMAC Meta uses), or a forged, missing, legacy or
// duplicated one. node:http with a list of header pairs can send a header twice, which fetch cannot.
import { createHmac } from 'node:crypto';
import http from 'node:http';

export const WEBHOOK_PATH = '/integrations/meta-messaging/webhook';

export function hubSignature(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Meta's escaping: "/" as "\/" and every non-ASCII UTF-16 unit as a lowercase \uXXXX escape. */
export function metaEscapedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff/]/g, (ch) =>
    ch === '/' ? '\\/' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface PostOptions {
  /** Header pairs sent as given (duplicates included); default: a valid signature and JSON content type. */
  headers?: Array<[string, string]>;
  secret?: string;
}

export async function postWebhook(
  baseUrl: string,
  body: string | Buffer,
  opts: PostOptions = {},
): Promise<{ status: number; text: string }> {
  const headers: Array<[string, string]> = opts.headers ?? [
    ['content-type', 'application/json'],
    ['x-hub-signature-256', hubSignature(opts.secret ?? '', body)],
  ];
  const url = new URL(WEBHOOK_PATH, baseUrl);
  // With header pairs Node adds neither Host nor Content-Length itself.
  const names = new Set(headers.map(([k]) => k.toLowerCase()));
  const all: Array<[string, string]> = [...headers];
  if (!names.has('host')) all.push(['host', url.host]);
  if (!names.has('content-length')) all.push(['content-length', String(Buffer.byteLength(body))]);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: all.flat() }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    // The server may answer 413 and close before the whole body is written.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
    );
    req.end(body);
  });
}
