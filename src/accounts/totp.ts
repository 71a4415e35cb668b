// RFC 6238 time-based one-time codes through the otpauth library (SHA-1, 6 digits, 30 s: what every
// authenticator app understands), and the QR code of the otpauth:// URL as an SVG data URL. The clock
// is passed in, so tests drive codes with the app's clock.
import { Secret, TOTP } from 'otpauth';

const PERIOD_S = 30;

function totp(secretBase32: string, label = 'Parley') {
  return new TOTP({ issuer: 'Parley', label, secret: Secret.fromBase32(secretBase32), period: PERIOD_S });
}

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export const otpauthUrl = (secretBase32: string, email: string) => totp(secretBase32, email).toString();

export async function qrCodeDataUrl(text: string): Promise<string> {
  // Loaded on first use (setting up two-factor sign-in), not at start: resident memory (issue 15).
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * The time step the code belongs to (one step of clock drift either way is accepted), or null. Callers
 * refuse a step at or before the last one used, so a code seen over a shoulder cannot be replayed.
 */
export function verifyTotp(secretBase32: string, code: string, now: number): number | null {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secretBase32).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD_S) + delta;
}
