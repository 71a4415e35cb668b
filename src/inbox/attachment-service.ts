// Sending a file (POST /api/conversations/:id/attachments): the reply checks first (connection, token,
// window), then the channel's limits on the sniffed type and size, then the file is kept in the media
// store (so the thread shows it like any other) and sent through the Send API with a short-lived signed
// Parley URL that Meta fetches. The Attachment Upload API (`/message_attachments`) would save Meta that
// fetch, but it is one more call that can fail and is not needed for a one-off file; the signed link
// works for both channels. Optional text goes out as a second message after the file.
import type { SessionContext } from '../accounts/accounts-service.ts';
import type { MessageView } from '../contract.ts';
import type { MediaService } from '../media/media-service.ts';
import { sniffContentType } from '../media/media-sniff.ts';
import type { SignedMediaLinks } from '../media/signed-media-links.ts';
import { newRowId } from '../storage/row-id.ts';
import { checkAttachment } from './attachment-limits.ts';
import type { ReplyService } from './reply-service.ts';
import type { StoredAttachment } from './stored-attachment.ts';

export interface UploadedFile {
  bytes: Buffer;
  name: string | null;
  declaredType: string | null;
}

export class AttachmentService {
  constructor(private readonly d: { replies: ReplyService; media: MediaService; links: SignedMediaLinks }) {}

  async send(
    session: SessionContext,
    conversationId: string,
    file: UploadedFile,
    text: string | null,
  ): Promise<MessageView> {
    const ready = await this.d.replies.prepare(session, conversationId, text);
    const contentType = await sniffContentType(file.bytes, file.declaredType);
    const kind = checkAttachment(ready.conv.channel, contentType, file.bytes.length);
    const messageId = newRowId();
    const media = await this.d.media.storeUpload(
      session.organization.id,
      `message:${messageId}`,
      ready.conv.account_id,
      {
        bytes: file.bytes,
        contentType,
        name: file.name,
      },
    );
    const stored: StoredAttachment = {
      type: kind,
      media_id: media.id,
      state: 'stored',
      mime_type: contentType,
      size: file.bytes.length,
      name: file.name,
      title: null,
      link: null,
      sticker_id: null,
      coordinates: null,
    };
    const message = await this.d.replies.deliver(session, ready, {
      id: messageId,
      attachment: { kind, url: this.d.links.url(media.id), stored },
    });
    if (text) await this.d.replies.deliver(session, ready, { text });
    return message;
  }
}
