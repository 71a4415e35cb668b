// Outbound status only moves forward: pending → sent → delivered → read (failed may still become sent
// when Meta's echo proves an ambiguous send went through). Receipts can arrive in any order and more
// than once (R39, R40), so every status update names the statuses it may move from.
import type { MessageStatus } from './inbox-tables.ts';

/** How far along a message is; inbound messages (received) and unsent ones rank lowest. */
export const STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  pending: 0,
  failed: 0,
  sent: 1,
  delivered: 2,
  read: 3,
};

/** The outbound statuses ranked below `target` (the ones an update to it may move from). */
export const statusesBelow = (target: MessageStatus): MessageStatus[] =>
  (['pending', 'failed', 'sent', 'delivered'] as const).filter((s) => STATUS_RANK[s] < STATUS_RANK[target]);

/** The statuses a message may leave to reach `target`. */
export const MAY_BECOME: Record<'sent' | 'delivered' | 'read', readonly MessageStatus[]> = {
  sent: ['pending', 'failed'],
  delivered: ['sent'],
  read: ['sent', 'delivered'],
};

/** The status a just-sent (or just-echoed) message has, given the receipts already seen for its conversation. */
export function statusUnderWatermarks(
  metaAt: number | null,
  watermarks: { delivered_watermark: number; read_watermark: number },
): 'sent' | 'delivered' | 'read' {
  if (metaAt === null) return 'sent';
  if (metaAt <= watermarks.read_watermark) return 'read';
  if (metaAt <= watermarks.delivered_watermark) return 'delivered';
  return 'sent';
}
