import type { Channel } from '../api/contract.ts';
import { channelLabels } from './inbox-labels.ts';

export function ChannelBadge({ channel }: { channel: Channel }) {
  return <span className={`channel-badge channel-badge--${channel}`}>{channelLabels[channel]}</span>;
}
