// GET /api/media/:id (CONTRACT §6): a stored file, to members of its organization only (404 for anyone
// else, never 403). Served with the content type sniffed when it was stored, a Content-Disposition
// (inline only for image, audio and video types a browser plays; an attachment otherwise),
// `X-Content-Type-Options: nosniff` and a CSP sandbox so that an HTML or SVG file opened directly runs
// nothing, and single byte ranges (audio and video seek with them).
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireSession } from '../http/request-session.ts';
import type { MediaRow } from './media-repository.ts';
import type { MediaService } from './media-service.ts';
import { isInlineType } from './media-sniff.ts';
import type { SignedMediaLinks } from './signed-media-links.ts';

const params = z.object({ id: z.string().max(100) });

export const mediaRoutes: FastifyPluginAsyncZod<{ media: MediaService; links: SignedMediaLinks }> = async (
  app,
  { media, links },
) => {
  app.get('/api/media/:id', { schema: { hide: true, params } }, async (request, reply) => {
    const session = requireSession(request);
    const { row, bytes } = await media.read(session.organization.id, request.params.id);
    reply.header('cache-control', 'private, max-age=86400');
    return sendBytes(reply, row, bytes, request.headers.range);
  });

  // The short-lived signed link Meta fetches an agent's upload from (no session: Meta has none).
  app.get(
    '/media/signed/:id',
    { schema: { hide: true, params, querystring: z.object({ expires: z.string(), signature: z.string() }) } },
    async (request, reply) => {
      const { id } = request.params;
      const found = links.verify(id, request.query.expires, request.query.signature)
        ? await media.readById(id)
        : null;
      if (!found) return reply.code(404).send({ error: { code: 'not_found', message: 'No such file' } });
      reply.header('cache-control', 'no-store');
      return sendBytes(reply, found.row, found.bytes, request.headers.range);
    },
  );
};

function sendBytes(reply: FastifyReply, row: MediaRow, bytes: Buffer, range: string | undefined) {
  const type = row.content_type ?? 'application/octet-stream';
  const name = (row.name ?? `file-${row.id.slice(0, 8)}`).replace(/[\r\n"\\]/g, '_');
  const disposition = isInlineType(type) ? 'inline' : 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('accept-ranges', 'bytes');
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (range && m && (m[1] !== '' || m[2] !== '')) {
    const total = bytes.length;
    let start: number;
    let end: number;
    if (m[1] === '') {
      start = Math.max(0, total - Number(m[2]));
      end = total - 1;
    } else {
      start = Number(m[1]);
      end = m[2] === '' ? total - 1 : Math.min(Number(m[2]), total - 1);
    }
    if (start >= total || start > end) {
      return reply.code(416).header('content-range', `bytes */${total}`).send();
    }
    return reply
      .code(206)
      .header('content-range', `bytes ${start}-${end}/${total}`)
      .send(bytes.subarray(start, end + 1));
  }
  return reply.send(bytes);
}
