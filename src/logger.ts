// The pino logger. Logs carry ids, never secrets (R50): request URLs are logged without their query
// string (the OAuth callback's carries code and state), and every field that could hold a token,
// password, code, state, signature or cookie is redacted by path.
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'res.headers["set-cookie"]',
  '*.access_token',
  '*.accessToken',
  '*.page_access_token',
  '*.token',
  '*.password',
  '*.code',
  '*.state',
  '*.appsecret_proof',
  '*.client_secret',
  '*.signed_request',
  '*.body',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
