// Row type of the organization's saved replies (migration 0012).
export interface SavedRepliesTable {
  id: string;
  org_id: string;
  title: string;
  /** The title lower-cased: the unique index on (org_id, title_key) makes titles unique regardless of case. */
  title_key: string;
  text: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}
