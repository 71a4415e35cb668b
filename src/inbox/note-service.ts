// Internal notes (issue 12 item 4, CONTRACT §6): a member writes for the team inside the thread. A note
// is a row of `messages` with kind `note`, so the thread pages it in order with the rest; but it is no
// message to the customer, so it is never sent to Meta, and it leaves the conversation as it was: not
// its last_message (the list's preview keeps showing what the customer saw last), not its activity time
// (the list's order), not its unread count, waiting time or status. It reaches the organization's open
// threads as `message.created`, like any new message.
//
// @mentions are resolved against the organization's members when the note is written (mention-parser.ts)
// and stored with their read state; each mentioned member (but the writer) gets a `mention` event that
// only their own streams receive (events-routes.ts), and finds it later in GET /api/mentions.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SessionContext } from '../accounts/accounts-service.ts';
import { type MessageView, NOTE_MAX_LENGTH } from '../contract.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { newRowId } from '../storage/row-id.ts';
import * as conversations from './conversation-repository.ts';
import { ConversationNotFoundError } from './inbox-errors.ts';
import { findMentions } from './mention-parser.ts';
import type { NoteMentionsTable } from './mention-tables.ts';
import * as mentionsRepo from './mentions-repository.ts';
import type { MessageRow } from './message-repository.ts';
import * as messages from './message-repository.ts';
import { EmptyNoteError, NoteTooLongError } from './note-errors.ts';
import { messageView } from './view-loader.ts';

/** How much of a note a mention notification quotes. */
const SNIPPET_LENGTH = 140;

export function noteSnippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_LENGTH ? flat : `${flat.slice(0, SNIPPET_LENGTH - 1)}…`;
}

export interface NoteServiceDeps {
  db: Kysely<DatabaseSchema>;
  bus: LiveBus;
  now: () => number;
  logger: Logger;
}

export class NoteService {
  constructor(private readonly d: NoteServiceDeps) {}

  async add(session: SessionContext, conversationId: string, raw: string): Promise<MessageView> {
    const text = raw.trim();
    if (text === '') throw new EmptyNoteError();
    if (text.length > NOTE_MAX_LENGTH) throw new NoteTooLongError();
    const orgId = session.organization.id;
    const author = session.user.id;
    const { db, now: clock } = this.d;
    const conv = await conversations.findConversation(db, orgId, conversationId);
    if (!conv) throw new ConversationNotFoundError();
    const mentioned = findMentions(text, await mentionsRepo.membersOf(db, orgId));
    const now = clock();
    const row: MessageRow = {
      id: newRowId(),
      org_id: orgId,
      conversation_id: conv.id,
      mid: null,
      direction: 'outbound',
      text,
      attachments: '[]',
      details: null,
      status: 'sent',
      sent_at: now,
      meta_at: null,
      reaction: null,
      deleted_at: null,
      sent_by_user_id: author,
      error: null,
      created_at: now,
      updated_at: now,
      kind: 'note',
    };
    const mentionRows: NoteMentionsTable[] = mentioned.map((userId) => ({
      message_id: row.id,
      user_id: userId,
      org_id: orgId,
      conversation_id: conv.id,
      created_at: now,
      // Mentioning oneself highlights the name, and notifies nobody.
      read_at: userId === author ? now : null,
    }));
    await db.transaction().execute(async (tx) => {
      await messages.insertMessage(tx, row);
      await mentionsRepo.insertMentions(tx, mentionRows);
    });
    const view = await messageView(db, row);
    await this.announce(orgId, row, view);
    return view;
  }

  private async announce(orgId: string, row: MessageRow, view: MessageView): Promise<void> {
    try {
      await this.d.bus.publish(orgId, {
        type: 'message.created',
        conversation_id: row.conversation_id,
        message: view,
      });
      const by = view.author ?? { id: row.sent_by_user_id, name: 'Former member' };
      for (const person of view.mentions ?? []) {
        if (person.id === row.sent_by_user_id) continue;
        await this.d.bus.publish(orgId, {
          type: 'mention',
          recipient_id: person.id,
          conversation_id: row.conversation_id,
          message_id: row.id,
          by,
          snippet: noteSnippet(row.text ?? ''),
          created_at: view.sent_at,
        });
      }
    } catch (err) {
      // The note is stored; open threads catch up when they next load.
      this.d.logger.warn({ orgId, err }, 'live event not published');
    }
  }
}
