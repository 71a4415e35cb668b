// What one batch of inbox writes changed, gathered inside the transaction and published (as LiveEvents)
// only after it committed, so a browser never hears of a message the database then rolls back.
import type { MessageRow } from './message-repository.ts';

export class InboxChanges {
  readonly created = new Map<string, MessageRow>();
  readonly updated = new Map<string, MessageRow>();
  readonly conversations = new Set<string>();
  /** Conversations whose person has no name yet: their profile is looked up after the commit. */
  readonly needProfile = new Set<string>();

  messageCreated(row: MessageRow): void {
    this.created.set(row.id, row);
    this.conversations.add(row.conversation_id);
  }

  messageUpdated(row: MessageRow): void {
    // A message created in this same batch is announced once, as created, in its final state.
    if (this.created.has(row.id)) this.created.set(row.id, row);
    else this.updated.set(row.id, row);
    this.conversations.add(row.conversation_id);
  }

  conversationTouched(id: string): void {
    this.conversations.add(id);
  }

  get empty(): boolean {
    return this.created.size === 0 && this.updated.size === 0 && this.conversations.size === 0;
  }
}
