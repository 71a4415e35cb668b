// The Send API's rules (reference §9): the recipient must be a customer of this Page (PSID) or of its
// Instagram account (IGSID); the person must have written within 24 hours (HUMAN_AGENT tag: 7 days;
// Messenger's non-promotional update tags: any time); Instagram text is limited to 1000 bytes.
import { z } from 'zod';
import type { EmulatorContext } from './context.ts';
import { GraphError, invalidParameter } from './graph-errors.ts';
import { type GraphParams, objectParam, stringParam } from './graph-params.ts';
import { messageId } from './ids.ts';
import type { Customer, Page, SentMessage } from './model.ts';
import { afterSend } from './receipts.ts';
import type { TokenRecord } from './tokens.ts';

const HOUR = 3600_000;
const STANDARD_WINDOW_MS = 24 * HOUR;
const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;
const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'];
const ANYTIME_TAGS = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'];
const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen'];

const messageSchema = z.object({
  text: z.string().min(1).optional(),
  attachment: z
    .object({
      type: z.enum(['image', 'audio', 'video', 'file', 'template']),
      payload: z.record(z.string(), z.unknown()),
    })
    .optional(),
  metadata: z.string().max(1000).optional(),
  quick_replies: z.array(z.unknown()).max(13).optional(),
});

export type SendResult = { recipient_id: string; message_id?: string };

export async function sendMessage(
  ctx: EmulatorContext,
  page: Page,
  token: TokenRecord,
  params: GraphParams,
): Promise<SendResult> {
  const recipient = objectParam(params, 'recipient');
  if (!recipient) throw invalidParameter('The parameter recipient is required');
  const recipientId = typeof recipient.id === 'number' ? String(recipient.id) : recipient.id;
  if (typeof recipientId !== 'string' || recipientId === '') {
    throw invalidParameter('The emulator supports recipient.id (PSID or IGSID) only');
  }
  const customer = ctx.world.customers.get(recipientId);
  if (!customer || customer.pageId !== page.id) {
    throw new GraphError({ message: '(#100) No matching user found', code: 100, subcode: 2018001 });
  }
  checkPermissions(page, token, customer);

  const messagingType = stringParam(params, 'messaging_type');
  if (messagingType !== null && !MESSAGING_TYPES.includes(messagingType)) {
    throw invalidParameter(
      `Param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}} - got "${messagingType}"`,
    );
  }
  const tag = messagingType === 'MESSAGE_TAG' ? stringParam(params, 'tag') : null;
  if (messagingType === 'MESSAGE_TAG' && tag === null) invalidTag(customer, null);

  const senderAction = stringParam(params, 'sender_action');
  const rawMessage = objectParam(params, 'message');
  if (!rawMessage && senderAction === null)
    throw invalidParameter('Must send either message or sender action');
  if (rawMessage && senderAction !== null)
    throw invalidParameter('Cannot send both message and sender_action');
  if (senderAction !== null && !SENDER_ACTIONS.includes(senderAction)) {
    throw invalidParameter(
      `Param sender_action must be one of {${SENDER_ACTIONS.join(', ')}} - got "${senderAction}"`,
    );
  }
  checkWindow(ctx, customer, tag);
  if (senderAction !== null) return { recipient_id: customer.id };

  const message = parseMessage(rawMessage, customer);
  const file = await fetchAttachment(message.attachment?.payload);
  const sent: SentMessage = {
    mid: messageId(customer.channel),
    channel: customer.channel,
    pageId: page.id,
    igId: customer.igId,
    recipientId: customer.id,
    text: message.text ?? null,
    attachment: message.attachment ?? null,
    file,
    messagingType,
    tag,
    metadata: message.metadata ?? null,
    timestamp: ctx.clock.now(),
    deliveredAt: null,
    readAt: null,
  };
  ctx.world.sent.push(sent);
  afterSend(ctx, page, sent);
  return { recipient_id: customer.id, message_id: sent.mid };
}

function checkPermissions(page: Page, token: TokenRecord, customer: Customer): void {
  const permission = customer.channel === 'messenger' ? 'pages_messaging' : 'instagram_manage_messages';
  if (!token.grant.scopes.includes(permission)) {
    throw new GraphError({
      message: `(#230) Requires ${permission} permission to manage the object`,
      code: 230,
    });
  }
  if (!page.tasks.includes('MESSAGING') && !page.tasks.includes('MANAGE')) {
    throw new GraphError({
      message: '(#200) The user must be able to perform the MESSAGING task on this Page to send messages',
      code: 200,
    });
  }
}

function checkWindow(ctx: EmulatorContext, customer: Customer, tag: string | null): void {
  if (tag !== null && !allowedTags(customer).includes(tag)) invalidTag(customer, tag);
  if (tag !== null && ANYTIME_TAGS.includes(tag)) return;
  const window = tag === 'HUMAN_AGENT' ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS;
  const since =
    customer.lastInboundAt === null ? Number.POSITIVE_INFINITY : ctx.clock.now() - customer.lastInboundAt;
  if (since <= window) return;
  throw customer.channel === 'messenger'
    ? new GraphError({
        message:
          '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
        code: 10,
        subcode: 2018278,
      })
    : new GraphError({
        message: '(#10) This message is sent outside of allowed window.',
        code: 10,
        subcode: 2534022,
      });
}

const allowedTags = (customer: Customer) =>
  customer.channel === 'messenger' ? ['HUMAN_AGENT', ...ANYTIME_TAGS] : ['HUMAN_AGENT'];

function invalidTag(customer: Customer, tag: string | null): never {
  throw invalidParameter(
    `Param tag must be one of {${allowedTags(customer).join(', ')}} - got "${tag ?? ''}"`,
  );
}

function parseMessage(
  raw: Record<string, unknown> | null,
  customer: Customer,
): z.infer<typeof messageSchema> {
  const parsed = messageSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidParameter(
      `Param message[${issue?.path.join('][') ?? ''}] is invalid: ${issue?.message ?? ''}`,
    );
  }
  const message = parsed.data;
  if (message.text === undefined && message.attachment === undefined) {
    throw invalidParameter('Message cannot be empty, must provide valid attachment or text');
  }
  if (message.text !== undefined && message.attachment !== undefined) {
    throw invalidParameter('Message can contain text or an attachment, not both');
  }
  const text = message.text ?? '';
  if (customer.channel === 'messenger' && text.length > 2000) {
    throw invalidParameter('Length of param message[text] must be less than or equal to 2000');
  }
  if (customer.channel === 'instagram' && Buffer.byteLength(text, 'utf8') > 1000) {
    throw invalidParameter('Length of param message[text] must be less than or equal to 1000 bytes');
  }
  return message;
}

/**
 * Meta downloads an attachment sent by URL before accepting the message; an unreachable or failing URL
 * is refused (the wording is the emulator's; Meta answers 100 with subcode 2018008 in this case).
 */
async function fetchAttachment(
  payload: Record<string, unknown> | undefined,
): Promise<{ contentType: string; bytes: Buffer } | null> {
  const url = payload?.url;
  if (typeof url !== 'string') return null;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > 25 * 1024 * 1024) throw new Error('too large');
    return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', bytes };
  } catch {
    throw new GraphError({
      message: '(#100) Failed to fetch the file from the url',
      code: 100,
      subcode: 2018008,
    });
  }
}
