// Row type of note_mentions (migration 0011): a member @mentioned in a note, and whether they read it.
export interface NoteMentionsTable {
  message_id: string;
  user_id: string;
  org_id: string;
  conversation_id: string;
  created_at: number;
  /** When the member opened the conversation after being mentioned; null while unread. */
  read_at: number | null;
}
