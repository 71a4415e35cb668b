// Which URLs Parley may download media from (META_MEDIA_HOSTS, CONTRACT §2), against SSRF (R-ids in
// README "Media and history"): https only, to a host equal to or under a listed suffix, and every
// address that name resolves to must be public. An IP literal listed as such (the emulator's
// 127.0.0.1) is the one exception: allowed as it is, over http too. Private means loopback, RFC 1918,
// CGNAT, link-local (cloud metadata at 169.254.169.254), unique-local, multicast and reserved ranges.
import { BlockList, isIP } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return isPublicAddress(mapped[1]!);
    return !PRIVATE.check(address, 'ipv6');
  }
  return !PRIVATE.check(address, 'ipv4');
}

export type HostVerdict = { ok: true; literal: boolean } | { ok: false; reason: string };

export class MediaHosts {
  private readonly literals: Set<string>;
  private readonly suffixes: string[];

  constructor(entries: readonly string[]) {
    const clean = entries.map((e) => e.trim().toLowerCase().replace(/^\.+/, '')).filter(Boolean);
    this.literals = new Set(clean.filter((e) => isIP(e) !== 0));
    this.suffixes = clean.filter((e) => isIP(e) === 0);
  }

  /** The URL's scheme and host, before any name resolution. */
  check(url: URL): HostVerdict {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (url.username || url.password) return { ok: false, reason: 'credentials in URL' };
    if (isIP(host) !== 0) {
      if (!this.literals.has(host)) return { ok: false, reason: `address ${host} is not listed` };
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'not http(s)' };
      return { ok: true, literal: true };
    }
    if (url.protocol !== 'https:') return { ok: false, reason: 'not https' };
    const listed = this.suffixes.some((s) => host === s || host.endsWith(`.${s}`));
    if (!listed) return { ok: false, reason: `host ${host} is not listed` };
    return { ok: true, literal: false };
  }
}
