// One attachment in a bubble, by what it is: pictures, stickers and stories shown; video and audio
// playable; files as a download with name and size; a location as a map link; a shared link or template
// by its title. Media are Parley URLs (/api/media/…); until stored a placeholder says so, and a file
// Meta no longer had says "media no longer available" (the rest of the message stays).
import type { AttachmentView } from '../api/contract.ts';
import { attachmentLabel, formatSize, safeLinkUrl, safeMediaUrl } from './inbox-labels.ts';

const PICTURES = new Set(['image', 'sticker', 'story_reply', 'story_mention', 'share']);
const VIDEOS = new Set(['video', 'ig_reel', 'reel']);

export function MessageAttachment({ attachment }: { attachment: AttachmentView }) {
  const label = attachmentLabel(attachment);
  const caption = attachment.title ? `${label}: ${attachment.title}` : label;
  if (attachment.location) {
    const { lat, long } = attachment.location;
    const href = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${long}#map=16/${lat}/${long}`;
    return (
      <a className="bubble__attachment bubble__card" href={href} target="_blank" rel="noopener noreferrer">
        <span className="bubble__card-kind">Location</span>
        <span>{attachment.title ?? 'Pinned location'}</span>
        <span className="muted">
          {lat.toFixed(4)}, {long.toFixed(4)} · open the map
        </span>
      </a>
    );
  }
  if (attachment.type === 'fallback' || attachment.type === 'template') {
    const link = safeLinkUrl(attachment.link ?? null);
    const body = (
      <>
        <span className="bubble__card-kind">{label}</span>
        <span>{attachment.title ?? link ?? 'Content Parley cannot show'}</span>
      </>
    );
    return link ? (
      <a className="bubble__attachment bubble__card" href={link} target="_blank" rel="noopener noreferrer">
        {body}
      </a>
    ) : (
      <p className="bubble__attachment bubble__card">{body}</p>
    );
  }
  if (attachment.status === 'pending')
    return <p className="bubble__attachment bubble__attachment--pending">{label} (downloading…)</p>;
  const url = safeMediaUrl(attachment.url);
  if (!url)
    return (
      <p className="bubble__attachment bubble__attachment--missing">{label}: media no longer available</p>
    );
  const kind = attachment.mime_type?.split('/')[0];
  if (kind === 'image' && (PICTURES.has(attachment.type) || attachment.type === 'file')) {
    return (
      <figure className={`bubble__attachment bubble__image${attachment.sticker ? ' bubble__sticker' : ''}`}>
        {attachment.type === 'story_reply' && <figcaption>Replied to your story</figcaption>}
        {attachment.type === 'story_mention' && <figcaption>Mentioned you in their story</figcaption>}
        {attachment.type === 'share' && <figcaption>Shared a post</figcaption>}
        <a href={url} target="_blank" rel="noopener noreferrer">
          <img src={url} alt={attachment.sticker ? 'Sticker' : caption} loading="lazy" />
        </a>
      </figure>
    );
  }
  if (kind === 'video' && (VIDEOS.has(attachment.type) || PICTURES.has(attachment.type))) {
    return (
      <figure className="bubble__attachment bubble__video">
        {attachment.type === 'story_reply' && <figcaption>Replied to your story</figcaption>}
        {(attachment.type === 'ig_reel' || attachment.type === 'reel') && (
          <figcaption>Shared a reel</figcaption>
        )}
        {/* biome-ignore lint/a11y/useMediaCaption: customers' videos come without captions */}
        <video src={url} controls preload="metadata" aria-label={caption} />
        {attachment.title && <figcaption>{attachment.title}</figcaption>}
      </figure>
    );
  }
  if (kind === 'audio') {
    return (
      <figure className="bubble__attachment bubble__audio">
        {/* biome-ignore lint/a11y/useMediaCaption: voice notes come without captions */}
        <audio src={url} controls preload="metadata" aria-label={caption} />
      </figure>
    );
  }
  return (
    <a className="bubble__attachment bubble__file" href={url} download={attachment.name ?? true}>
      <FileIcon /> {attachment.name ?? label}
      {attachment.size !== null && <span className="muted"> · {formatSize(attachment.size)}</span>}
    </a>
  );
}

/** Drawn, not an emoji: not every system has an emoji font. */
function FileIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M4 1h5l3 3v11H4z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      <path d="M9 1v3h3" fill="none" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  );
}
