// The channel's text limit (CONTRACT §6): checked before anything is stored or sent, so an over-long
// reply is refused whole (422 text_too_long) instead of being cut by Meta or by us.
import { type Channel, TEXT_LIMITS } from '../contract.ts';
import { TextTooLongError } from './inbox-errors.ts';

const CHANNEL_NAMES: Record<Channel, string> = { messenger: 'Messenger', instagram: 'Instagram' };

export function assertTextFits(channel: Channel, text: string): void {
  const limit = TEXT_LIMITS[channel];
  if (text.length > limit) throw new TextTooLongError(limit, CHANNEL_NAMES[channel]);
}
