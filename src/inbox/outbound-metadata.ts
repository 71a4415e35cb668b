// The `metadata` string we attach to every Send API call and Meta returns in the echo: it names our
// outbound message, so the echo confirms that row even when it arrives before the Send API's answer.
const PREFIX = 'parley:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const outboundMetadata = (messageId: string) => `${PREFIX}${messageId}`;

export function parseOutboundMetadata(metadata: string | null): string | null {
  if (!metadata?.startsWith(PREFIX)) return null;
  const id = metadata.slice(PREFIX.length);
  return UUID.test(id) ? id : null;
}
