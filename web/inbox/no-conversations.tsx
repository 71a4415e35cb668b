// What the conversation list says when nothing matches: why (the assignee, status or channel filter),
// or, with no conversation at all, where conversations come from and, in sandbox mode, how to play the
// customer in the Meta emulator.
import { Link } from 'wouter';
import { channelLabels } from './inbox-labels.ts';
import type { ChannelFilter, ListQuery } from './inbox-state.ts';

const EMULATOR_URL = 'http://localhost:3001';

export function NoConversations({
  channel,
  status,
  assignee,
}: {
  channel: ChannelFilter;
  status: ListQuery['status'];
  assignee: ListQuery['assignee'];
}) {
  if (assignee !== 'any') {
    return (
      <div className="empty-state">
        <p>
          {assignee === 'me'
            ? 'No conversations assigned to you here.'
            : 'Every conversation here has someone on it.'}
        </p>
      </div>
    );
  }
  if (status === 'resolved') {
    return (
      <div className="empty-state">
        <p>No resolved conversations{channel === 'all' ? '' : ` on ${channelLabels[channel]}`}.</p>
      </div>
    );
  }
  if (channel !== 'all') {
    return (
      <div className="empty-state">
        <p>No {channelLabels[channel]} conversations yet.</p>
      </div>
    );
  }
  return (
    <div className="empty-state">
      <p className="empty-state__title">No conversations yet</p>
      <p>Messages to your Page and Instagram account appear here.</p>
      <p className="muted">
        Not connected yet? Connect a Facebook Page in{' '}
        <Link href="/settings/tab/integrations">Settings → Integrations</Link>.
      </p>
      <p className="muted">
        In sandbox mode, play the customer in the Meta emulator at{' '}
        <a href={EMULATOR_URL} target="_blank" rel="noreferrer">
          {EMULATOR_URL}
        </a>
        .
      </p>
    </div>
  );
}
