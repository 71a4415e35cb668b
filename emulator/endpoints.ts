// Names of the Graph endpoints the emulator answers. Faults target them and the call log reports them,
// so tests can say "the next me/accounts call fails" without knowing paths or versions.
export const ENDPOINTS = [
  'oauth.code',
  'oauth.exchange',
  'oauth.app_token',
  'me',
  'me.accounts',
  'page.get',
  'ig.get',
  'user.get',
  'app.get',
  'profile',
  'page.subscribed_apps',
  'page.conversations',
  'app.subscriptions',
  'send',
  'debug_token',
  'unknown',
] as const;

export type EndpointName = (typeof ENDPOINTS)[number];
