// Webhook bodies shaped like Meta's (reference §8.4), for tests that sign their own deliveries.
import { randomBytes } from 'node:crypto';

export const mid = () => `m_${randomBytes(24).toString('base64url')}`;
export const psid = () => `7${String(Math.floor(Math.random() * 1e15)).padStart(15, '0')}`;

type Item = Record<string, unknown>;

export function pageBody(pageId: string, items: Item[], time = Date.now()) {
  return { object: 'page', entry: [{ id: pageId, time, messaging: items }] };
}

export function instagramBody(igId: string, items: Item[], time = Date.now()) {
  return { object: 'instagram', entry: [{ id: igId, time, messaging: items }] };
}

export function inbound(
  account: string,
  customer: string,
  m: { mid: string; text?: string; timestamp: number },
): Item {
  return {
    sender: { id: customer },
    recipient: { id: account },
    timestamp: m.timestamp,
    message: { mid: m.mid, ...(m.text !== undefined ? { text: m.text } : {}) },
  };
}

export function echo(
  account: string,
  customer: string,
  m: { mid: string; text: string; timestamp: number; metadata?: string },
): Item {
  return {
    sender: { id: account },
    recipient: { id: customer },
    timestamp: m.timestamp,
    message: {
      mid: m.mid,
      is_echo: true,
      app_id: 1234567890,
      text: m.text,
      ...(m.metadata ? { metadata: m.metadata } : {}),
    },
  };
}

export function delivery(account: string, customer: string, d: { mids?: string[]; watermark: number }): Item {
  return {
    sender: { id: customer },
    recipient: { id: account },
    delivery: { ...(d.mids ? { mids: d.mids } : {}), watermark: d.watermark },
  };
}

export function read(
  account: string,
  customer: string,
  r: { watermark?: number; mid?: string; timestamp: number },
): Item {
  const { timestamp, ...rest } = r;
  return { sender: { id: customer }, recipient: { id: account }, timestamp, read: rest };
}
