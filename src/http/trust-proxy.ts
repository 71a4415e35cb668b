// TRUST_PROXY (CONTRACT §2): whose X-Forwarded-For the app believes. The client address it yields keys
// the rate limits (R42-style abuse limits), so trusting too much lets anyone pick their own address:
// unset trusts no proxy, and "trust everything" is deliberately not offered.
import { isIP } from 'node:net';

/** What Fastify's `trustProxy` takes: false, a hop count, or the addresses/CIDRs of trusted proxies. */
export type TrustProxy = false | number | string[];

/** Parses the variable; an Error (not thrown) says what is wrong, for config.ts to name the variable. */
export function parseTrustProxy(value: string | undefined): TrustProxy | Error {
  if (value === undefined || value.trim() === '') return false;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) return new Error(`a hop count must be between 0 and 32, got "${text}"`);
    return hops === 0 ? false : hops;
  }
  const items = text.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!isAddressOrCidr(item)) {
      return new Error(
        `must be a hop count (like 1) or a comma list of IP addresses/CIDRs (like 127.0.0.1,10.0.0.0/8); "${item}" is neither`,
      );
    }
  }
  return items;
}

function isAddressOrCidr(item: string): boolean {
  const [address, prefix, ...rest] = item.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Fastify's typings take no bare hop count; the function is what Fastify itself builds from one. */
export function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}
