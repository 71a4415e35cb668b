// Meta's text limit per channel, as src/contract.ts TEXT_LIMITS states it (a value import from there
// would bring zod into the bundle; the server refuses longer text with 422 text_too_long anyway). Counted
// as JavaScript's `length`, the same count the server applies.
import type { Channel } from '../api/contract.ts';

export const TEXT_LIMITS: Record<Channel, number> = { messenger: 2000, instagram: 1000 };

/** The counter appears once a reply gets this close to the limit. */
export const COUNTER_FROM = 0.8;
