// The control API's snake_case JSON views of the emulator's records. Token values never appear.
import type { EmulatorContext } from './context.ts';
import type {
  CustomerView,
  FaultView,
  InboundView,
  PageView,
  PersonaView,
  SentView,
  StateResponse,
  TokenView,
} from './control-contract.ts';
import { customerName } from './customers.ts';
import type { Fault } from './faults.ts';
import type { Customer, InboundMessage, Page, Persona, SentMessage } from './model.ts';

export const pageView = (p: Page): PageView => ({
  id: p.id,
  name: p.name,
  category: p.category,
  tasks: [...p.tasks],
  business_only: p.businessOnly,
  instagram: p.instagram
    ? { id: p.instagram.id, username: p.instagram.username, name: p.instagram.name }
    : null,
  subscribed_fields: p.subscribedFields ? [...p.subscribedFields] : null,
});

export const personaView = (p: Persona): PersonaView => ({
  key: p.key,
  user_id: p.userId,
  name: p.name,
  pages: p.pages.map(pageView),
});

export const customerView = (c: Customer): CustomerView => ({
  id: c.id,
  channel: c.channel,
  name: customerName(c),
  username: c.username,
  page_id: c.pageId,
  ig_id: c.igId,
  last_inbound_at: c.lastInboundAt,
});

export const sentView = (m: SentMessage): SentView => ({
  mid: m.mid,
  channel: m.channel,
  page_id: m.pageId,
  ig_id: m.igId,
  recipient_id: m.recipientId,
  text: m.text,
  attachment: m.attachment,
  file: m.file ? { content_type: m.file.contentType, size: m.file.bytes.length } : null,
  messaging_type: m.messagingType,
  tag: m.tag,
  metadata: m.metadata,
  timestamp: m.timestamp,
  delivered_at: m.deliveredAt,
  read_at: m.readAt,
});

export const inboundView = (m: InboundMessage): InboundView => ({
  mid: m.mid,
  channel: m.channel,
  page_id: m.pageId,
  ig_id: m.igId,
  customer_id: m.customerId,
  text: m.text,
  attachments: m.attachments.map((a) => ({ ...a })),
  standby: m.standby,
  timestamp: m.timestamp,
  delivery_id: m.deliveryId,
});

export const faultView = (f: Fault): FaultView => ({
  id: f.id,
  endpoint: f.endpoint,
  count: f.count,
  remaining: f.remaining,
  status: f.status,
  code: f.code,
  subcode: f.subcode,
  message: f.message,
  type: f.type,
  is_transient: f.isTransient,
  delay_ms: f.delayMs,
  garbage: f.garbage,
  network_drop: f.networkDrop,
});

export function stateView(ctx: EmulatorContext): StateResponse {
  const { world, tunables, config } = ctx;
  return {
    now: ctx.clock.now(),
    app: { id: config.appId, name: config.appName, redirect_uris: [...config.redirectUris] },
    settings: {
      latency_ms: tunables.latencyMs,
      webhook_retry_delays_ms: [...tunables.webhookRetryDelaysMs],
      auto_delivery_ms: tunables.autoDeliveryMs,
      auto_read_ms: tunables.autoReadMs,
    },
    personas: [...world.personas.values()].map(personaView),
    customers: [...world.customers.values()].map(customerView),
    app_subscriptions: [...world.appSubscriptions.values()].map((s) => ({
      object: s.object,
      callback_url: s.callbackUrl,
      fields: [...s.fields],
      version: s.version,
    })),
    tokens: world.tokens.all().map(
      (t): TokenView => ({
        type: t.type,
        user_id: t.userId,
        page_id: t.pageId,
        scopes: [...t.grant.scopes],
        long_lived: t.longLived,
        issued_at: t.issuedAt,
        expires_at: t.expiresAt,
        state: world.tokens.state(t),
        revoked_subcode: t.revokedSubcode,
      }),
    ),
    faults: ctx.faults.list().map(faultView),
  };
}
