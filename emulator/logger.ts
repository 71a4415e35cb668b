// The emulator's pino logger. Request URLs are logged without their query string: Graph calls carry
// access tokens and appsecret_proof there, and logs must never hold a token.
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';

interface LoggedRequest {
  method?: string;
  url?: string;
}

export function createLogger(enabled: boolean): FastifyBaseLogger {
  return pino({
    enabled,
    level: process.env.LOG_LEVEL ?? 'info',
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, path: req.url?.split('?')[0] }),
    },
  });
}
