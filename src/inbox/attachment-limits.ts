// What each channel can carry (CONTRACT §6, from Meta's Send API docs): Messenger takes images, video,
// audio and any file up to 25 MB; Instagram takes images (png, jpeg, gif) up to 8 MB, and audio,
// video and PDF up to 25 MB. The type is decided from the bytes, never from the name or the browser's
// claim. Checked before anything is stored or sent.
import type { Channel } from '../contract.ts';

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export class FileTooLargeError extends Error {
  constructor(limit: number) {
    super(`This file is larger than ${Math.round(limit / (1024 * 1024))} MB, the most this channel accepts`);
    this.name = 'FileTooLargeError';
  }
}

export class UnsupportedAttachmentTypeError extends Error {
  constructor(type: string, channel: Channel) {
    super(`${channel === 'instagram' ? 'Instagram' : 'Messenger'} cannot carry this type of file (${type})`);
    this.name = 'UnsupportedAttachmentTypeError';
  }
}

export type SendKind = 'image' | 'video' | 'audio' | 'file';

const IG_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif']);
const IG_AUDIO = new Set([
  'audio/aac',
  'audio/mp4',
  'audio/x-m4a',
  'audio/wav',
  'audio/x-wav',
  'audio/mpeg',
  'audio/ogg',
]);
const IG_VIDEO = new Set(['video/mp4', 'video/ogg', 'video/x-msvideo', 'video/quicktime', 'video/webm']);

/** The Send API attachment type for these bytes on this channel, or the refusal. */
export function checkAttachment(channel: Channel, contentType: string, size: number): SendKind {
  const major = contentType.split('/')[0];
  if (channel === 'messenger') {
    if (size > MAX_UPLOAD_BYTES) throw new FileTooLargeError(MAX_UPLOAD_BYTES);
    if (major === 'image' && contentType !== 'image/svg+xml') return 'image';
    if (major === 'video') return 'video';
    if (major === 'audio') return 'audio';
    return 'file';
  }
  if (IG_IMAGES.has(contentType)) {
    if (size > 8 * 1024 * 1024) throw new FileTooLargeError(8 * 1024 * 1024);
    return 'image';
  }
  const kind: SendKind | null = IG_AUDIO.has(contentType)
    ? 'audio'
    : IG_VIDEO.has(contentType)
      ? 'video'
      : contentType === 'application/pdf'
        ? 'file'
        : null;
  if (!kind) throw new UnsupportedAttachmentTypeError(contentType, channel);
  if (size > MAX_UPLOAD_BYTES) throw new FileTooLargeError(MAX_UPLOAD_BYTES);
  return kind;
}
