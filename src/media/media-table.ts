// Row types of media and media_bytes (migration 0007).
export type MediaStatus = 'pending' | 'stored' | 'failed';

export interface MediaTable {
  id: string;
  org_id: string;
  /** Opaque to this folder: who asked for the file ("message:<id>", "conversation:<id>", "upload:<id>"). */
  owner: string;
  /** The Page or Instagram account it belongs to, so data deletion can remove a connection's files. */
  account_id: string | null;
  /** Where to download it from; null for files an agent uploaded. */
  source_url: string | null;
  status: MediaStatus;
  content_type: string | null;
  size: number | null;
  name: string | null;
  attempts: number;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export interface MediaBytesTable {
  media_id: string;
  base64: string;
}
