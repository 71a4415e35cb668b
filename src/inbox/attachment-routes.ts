// POST /api/conversations/:id/attachments (CONTRACT §6): multipart with one `file` and an optional
// `text`. The body is read with a 25 MB cap (above it: 413 file_too_large before anything is kept);
// the channel's own limits are checked by AttachmentService on the sniffed type.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendMessageResponse } from '../contract.ts';
import { requireSession } from '../http/request-session.ts';
import { FileTooLargeError, MAX_UPLOAD_BYTES } from './attachment-limits.ts';
import type { AttachmentService } from './attachment-service.ts';

export class MissingFileError extends Error {
  constructor() {
    super('Attach one file in the `file` field');
    this.name = 'MissingFileError';
  }
}

export const attachmentRoutes: FastifyPluginAsyncZod<{ attachments: AttachmentService }> = async (
  app,
  { attachments },
) => {
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 2, fieldSize: 8 * 1024, parts: 3 },
  });
  app.post(
    '/api/conversations/:id/attachments',
    {
      config: { upload: true },
      // Multipart framing adds a little to the file itself.
      bodyLimit: MAX_UPLOAD_BYTES + 64 * 1024,
      schema: {
        tags: ['inbox'],
        params: z.object({ id: z.string().max(100) }),
        response: { 201: sendMessageResponse },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      let file: { bytes: Buffer; name: string | null; declaredType: string | null } | null = null;
      let text: string | null = null;
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || file) {
            await part.toBuffer().catch(() => null);
            continue;
          }
          const bytes = await part.toBuffer().catch((err: { code?: string }) => {
            if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw new FileTooLargeError(MAX_UPLOAD_BYTES);
            throw err;
          });
          if (part.file.truncated) throw new FileTooLargeError(MAX_UPLOAD_BYTES);
          file = {
            bytes,
            name: part.filename ? part.filename.slice(0, 200) : null,
            declaredType: part.mimetype,
          };
        } else if (part.fieldname === 'text' && typeof part.value === 'string') {
          text = part.value.trim().slice(0, 2000) || null;
        }
      }
      if (!file || file.bytes.length === 0) throw new MissingFileError();
      const message = await attachments.send(session, request.params.id, file, text);
      return reply.code(201).send({ message });
    },
  );
};
