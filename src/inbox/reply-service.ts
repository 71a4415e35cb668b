// Answering a conversation through the Send API with the organization's Page token. What can be known
// without Meta is checked first — a connection for this conversation's Page (409), a token Meta still
// accepts (424), the 24-hour window (422) — so a doomed send never leaves. The outbound row exists
// (pending) before the call; its id travels as the send's metadata so the echo finds it even if it
// arrives first. Meta's refusals become named errors: 10/2018278 (IG 2534022) the window, 190 a
// connection that needs a new login (R32), transient failures 502 (the row stays `failed`, and the
// echo revives it if Meta did send it after all — R33).

import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SessionContext } from '../accounts/accounts-service.ts';
import type { ConnectionAlerts } from '../connections/connection-alerts.ts';
import { NotConnectedError } from '../connections/connection-errors.ts';
import * as connections from '../connections/connection-repository.ts';
import { openPageTokenOrFlag } from '../connections/page-token-reader.ts';
import type { MessageView } from '../contract.ts';
import type { LiveBus } from '../live/live-bus.ts';
import type { GraphClient } from '../meta/graph-client.ts';
import { classifyGraphError, describeGraphFailure } from '../meta/graph-error-class.ts';
import { GraphApiError } from '../meta/graph-errors.ts';
import { sendAttachmentMessage, sendTextMessage } from '../meta/send-api.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import { newRowId } from '../storage/row-id.ts';
import { isUniqueViolation } from '../storage/unique-violation.ts';
import * as assignment from './assignment-repository.ts';
import type { ConversationRow } from './conversation-repository.ts';
import * as conversations from './conversation-repository.ts';
import {
  ConversationNotFoundError,
  OutsideMessagingWindowError,
  ReauthRequiredError,
  sendFailure,
} from './inbox-errors.ts';
import { publishConversations } from './inbox-publisher.ts';
import { HUMAN_AGENT_WINDOW_MS, MESSAGING_WINDOW_MS } from './inbox-views.ts';
import type { MessageRow } from './message-repository.ts';
import * as messages from './message-repository.ts';
import { MAY_BECOME } from './message-status.ts';
import { outboundMetadata } from './outbound-metadata.ts';
import type { StoredAttachment } from './stored-attachment.ts';
import { assertTextFits } from './text-limit.ts';
import { messageView } from './view-loader.ts';

export interface PreparedReply {
  conv: ConversationRow;
  pageId: string;
  pageToken: string;
  tag: 'HUMAN_AGENT' | null;
}

export type OutgoingContent =
  | { text: string; id?: string }
  | {
      id?: string;
      attachment: { kind: 'image' | 'video' | 'audio' | 'file'; url: string; stored: StoredAttachment };
    };

/**
 * Which window a reply falls in: the standard 24 hours after the person's last message, or with the
 * Human Agent feature up to 7 days (sent tagged HUMAN_AGENT); null when neither is open.
 */
export function replyWindow(
  lastInboundAt: number | null,
  now: number,
  humanAgent: boolean,
): 'standard' | 'human_agent' | null {
  if (lastInboundAt === null) return null;
  const age = now - lastInboundAt;
  if (age <= MESSAGING_WINDOW_MS) return 'standard';
  if (humanAgent && age <= HUMAN_AGENT_WINDOW_MS) return 'human_agent';
  return null;
}

export interface ReplyServiceDeps {
  /** META_HUMAN_AGENT. */
  humanAgent?: boolean;
  db: Kysely<DatabaseSchema>;
  graph: GraphClient;
  cipher: TokenCipher;
  bus: LiveBus;
  now: () => number;
  logger: Logger;
  alerts?: ConnectionAlerts;
}

export class ReplyService {
  constructor(private readonly d: ReplyServiceDeps) {}

  async send(session: SessionContext, conversationId: string, text: string): Promise<MessageView> {
    const ready = await this.prepare(session, conversationId, text);
    return this.deliver(session, ready, { text });
  }

  /**
   * What can be known without Meta, checked before anything is stored or uploaded: the connection,
   * the token, and which window applies (24 h; with META_HUMAN_AGENT, 7 days tagged HUMAN_AGENT), and
   * that the text (a reply, or a file's caption) fits the channel's limit.
   */
  async prepare(
    session: SessionContext,
    conversationId: string,
    text: string | null = null,
  ): Promise<PreparedReply> {
    const orgId = session.organization.id;
    const db = this.d.db;
    const conv = await conversations.findConversation(db, orgId, conversationId);
    if (!conv) throw new ConversationNotFoundError();
    if (text !== null) assertTextFits(conv.channel, text);
    const connection = await connections.findByOrg(db, orgId);
    const account =
      conv.channel === 'messenger' ? connection?.facebook_page_id : connection?.instagram_business_account_id;
    // Disconnected, or now connected to another Page: this conversation's Page cannot be answered.
    if (!connection || account !== conv.account_id) throw new NotConnectedError();
    if (connection.status === 'reauth_required') throw new ReauthRequiredError();
    const window = replyWindow(conv.last_inbound_at, this.d.now(), this.d.humanAgent === true);
    if (window === null) throw new OutsideMessagingWindowError();
    // A token no configured key opens (retired from ENCRYPTION_KEYS) marks the connection
    // reauth_required, which is what the agent is told: only a new login fixes it.
    const pageToken = await openPageTokenOrFlag(this.d, connection);
    if (pageToken === null) throw new ReauthRequiredError();
    return {
      conv,
      pageId: connection.facebook_page_id,
      pageToken,
      tag: window === 'human_agent' ? 'HUMAN_AGENT' : null,
    };
  }

  /** Stores the pending row, calls the Send API, and records what Meta said. */
  async deliver(
    session: SessionContext,
    ready: PreparedReply,
    content: OutgoingContent,
  ): Promise<MessageView> {
    const orgId = session.organization.id;
    const db = this.d.db;
    const { conv, pageToken } = ready;
    const now = this.d.now();
    const id = content.id ?? newRowId();
    const text = 'text' in content ? content.text : null;
    const pending: MessageRow = {
      id,
      org_id: orgId,
      conversation_id: conv.id,
      mid: null,
      direction: 'outbound',
      text,
      attachments: 'attachment' in content ? JSON.stringify([content.attachment.stored]) : '[]',
      details: ready.tag ? JSON.stringify({ tag: ready.tag }) : null,
      status: 'pending',
      sent_at: now,
      meta_at: null,
      reaction: null,
      deleted_at: null,
      sent_by_user_id: session.user.id,
      error: null,
      created_at: now,
      updated_at: now,
    };
    await db.transaction().execute(async (tx) => {
      await messages.insertMessage(tx, pending);
      await conversations.offerLastMessage(tx, conv.id, id, now, now);
      // Replying to an unassigned conversation makes it the replier's (the UI says so beforehand).
      await assignment.assignIfUnassigned(tx, conv.id, session.user.id, now);
    });
    await this.announce(orgId, 'message.created', pending);

    let mid: string;
    try {
      const common = {
        pageId: ready.pageId,
        pageToken,
        recipientId: conv.participant_id,
        metadata: outboundMetadata(id),
        tag: ready.tag,
      };
      ({ messageId: mid } =
        'attachment' in content
          ? await sendAttachmentMessage(this.d.graph, {
              ...common,
              attachment: { type: content.attachment.kind, url: content.attachment.url },
            })
          : await sendTextMessage(this.d.graph, { ...common, text: content.text }));
    } catch (err) {
      return this.refused(orgId, ready.pageId, pending, err);
    }
    const sent = await this.recordSent(pending, mid);
    await this.announce(orgId, 'message.updated', sent);
    return messageView(db, sent);
  }

  private async recordSent(pending: MessageRow, mid: string): Promise<MessageRow> {
    const db = this.d.db;
    const now = this.d.now();
    try {
      const row = await db.transaction().execute(async (tx) => {
        // The conversation's lock before the message's, as the webhook processor takes them (0013).
        await conversations.lockConversation(tx, pending.conversation_id);
        const updated = await messages.updateMessage(
          tx,
          pending.id,
          { mid, status: 'sent', error: null, updated_at: now },
          MAY_BECOME.sent,
        );
        // The person has their answer: the conversation stops waiting (sort by waiting time).
        await conversations.markAnswered(tx, pending.conversation_id, pending.sent_at);
        return updated;
      });
      // Null: the echo got here first and already confirmed (and maybe advanced) the row.
      return row ?? (await messages.findMessage(db, pending.org_id, pending.id)) ?? pending;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // An echo without our metadata stored this mid as its own row: keep that one, drop ours.
      await db.transaction().execute(async (tx) => {
        await conversations.lockConversation(tx, pending.conversation_id);
        await tx.deleteFrom('messages').where('id', '=', pending.id).execute();
      });
      const existing = await messages.findByMid(db, pending.org_id, mid);
      if (!existing) throw err;
      return existing;
    }
  }

  private async refused(
    orgId: string,
    pageId: string,
    pending: MessageRow,
    err: unknown,
  ): Promise<MessageView> {
    const cls = classifyGraphError(err);
    const code = err instanceof GraphApiError ? err.code : null;
    const subcode = err instanceof GraphApiError ? err.subcode : null;
    this.d.logger.warn(
      { orgId, conversationId: pending.conversation_id, cls, code, subcode },
      'send refused',
    );
    const failure = sendFailure(err);
    const now = this.d.now();
    const failed = await this.d.db.transaction().execute(async (tx) => {
      // The conversation's lock before the message's, as the webhook processor takes them (0013).
      await conversations.lockConversation(tx, pending.conversation_id);
      // The words the sender is answered with stay on the message, for whoever opens the thread later.
      return messages.updateMessage(
        tx,
        pending.id,
        { status: 'failed', error: failure.message, updated_at: now },
        ['pending'],
      );
    });
    if (!failed) {
      // Meta's echo confirmed the message while the call failed (a timeout after Meta accepted it).
      const row = await messages.findMessage(this.d.db, orgId, pending.id);
      if (row && row.status !== 'failed' && row.status !== 'pending') return messageView(this.d.db, row);
    } else {
      await this.announce(orgId, 'message.updated', failed);
    }
    if (failure instanceof ReauthRequiredError) {
      await connections.updateHealth(this.d.db, orgId, pageId, {
        status: 'reauth_required',
        status_reason: describeGraphFailure(err),
        updated_at: now,
      });
      // Tells every open screen (connection.updated) and mails the managers.
      this.d.alerts?.connectionChanged(orgId, pageId);
    }
    throw failure;
  }

  private async announce(
    orgId: string,
    type: 'message.created' | 'message.updated',
    row: MessageRow,
  ): Promise<void> {
    try {
      await this.d.bus.publish(orgId, {
        type,
        conversation_id: row.conversation_id,
        message: await messageView(this.d.db, row),
      });
      await publishConversations(this.d.db, this.d.bus, orgId, [row.conversation_id]);
    } catch (err) {
      this.d.logger.warn({ orgId, err }, 'live event not published');
    }
  }
}
