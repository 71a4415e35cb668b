// The file about to be sent with a reply: chosen with the button, dropped on the composer or pasted.
// It shows a preview (pictures as a thumbnail, anything else by name and size), the upload's progress,
// and after a failed send keeps the file, so nothing chosen is lost: with a Retry when another try can
// succeed (Meta down, the network, a revoked token), without one when the file itself was refused (too
// large, a type Meta does not take), where a retry could only fail the same way.
import { useEffect, useMemo } from 'react';
import { formatSize } from './inbox-labels.ts';

export type UploadState =
  | { state: 'idle' }
  | { state: 'uploading'; progress: number }
  | { state: 'failed'; message: string; retryable: boolean };

export function AttachmentDraft({
  file,
  upload,
  onRemove,
  onRetry,
}: {
  file: File;
  upload: UploadState;
  onRemove: () => void;
  onRetry: () => void;
}) {
  const preview = useMemo(() => (file.type.startsWith('image/') ? URL.createObjectURL(file) : null), [file]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);
  return (
    <div className="attachment-draft" data-state={upload.state}>
      {preview ? (
        <img className="attachment-draft__thumb" src={preview} alt={`Preview of ${file.name}`} />
      ) : (
        <span className="attachment-draft__icon" aria-hidden="true">
          {iconLabel(file)}
        </span>
      )}
      <span className="attachment-draft__name">
        {file.name} <span className="muted">· {formatSize(file.size)}</span>
      </span>
      {upload.state === 'uploading' && (
        <progress
          className="attachment-draft__progress"
          max={1}
          value={upload.progress}
          aria-label={`Uploading ${file.name}`}
        />
      )}
      {upload.state === 'failed' && (
        <>
          <span className="attachment-draft__error" role="alert">
            Not sent:{' '}
            {upload.retryable
              ? upload.message
              : `${upload.message.replace(/\.$/, '')}. Remove it, or attach another file.`}
          </span>
          {upload.retryable && (
            <button type="button" className="link-button" onClick={onRetry}>
              Retry
            </button>
          )}
        </>
      )}
      {upload.state !== 'uploading' && (
        <button type="button" className="link-button" onClick={onRemove} aria-label={`Remove ${file.name}`}>
          Remove
        </button>
      )}
    </div>
  );
}

/**
 * What the tile says for a file without a preview: its extension ("pdf", "zip"), else its kind
 * ("video", "audio"), else "file". Short enough for the 3 rem tile: "application" overflowed it.
 */
function iconLabel(file: File): string {
  const extension = /\.([\p{L}\p{N}]{1,4})$/u.exec(file.name)?.[1];
  if (extension) return extension;
  const kind = file.type.split('/')[0];
  return kind === 'video' || kind === 'audio' || kind === 'image' ? kind : 'file';
}
