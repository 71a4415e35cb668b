// What each `?meta_error=` code (CONTRACT §4 redirect table) means to the person who just came back
// from Facebook, and what to do next. Keyed by MetaErrorCode, so a code added to the contract fails the
// typecheck here until it has words.
import type { MetaErrorCode } from '../../api/contract.ts';

export type MetaErrorMessage = {
  title: string;
  nextStep: string;
  /** `warning` when something was still saved (the connection exists, only a subscription failed);
   * `info` when nothing went wrong (the person chose Cancel). */
  tone: 'error' | 'warning' | 'info';
};

const messages: Record<MetaErrorCode, MetaErrorMessage> = {
  no_pages: {
    title: 'Facebook didn’t share any Pages with Parley.',
    nextStep:
      'Make sure you are an admin of the Facebook Page, then choose Connect with Facebook again and, when Facebook asks which Pages Parley may use, select your Page.',
    tone: 'error',
  },
  access_denied: {
    title: 'The Facebook connection was cancelled.',
    nextStep:
      'Nothing was changed. When you are ready, choose Connect with Facebook and approve the requested permissions: Parley needs them to receive and answer messages.',
    tone: 'info',
  },
  invalid_state: {
    title: 'That Facebook connection attempt expired or couldn’t be verified.',
    nextStep:
      'For your security, a connection must be finished within 10 minutes, in the browser and account that started it. Choose Connect with Facebook to start again.',
    tone: 'error',
  },
  token_exchange_failed: {
    title: 'Facebook didn’t confirm the login.',
    nextStep: 'Nothing was saved. Choose Connect with Facebook to try again in a moment.',
    tone: 'error',
  },
  pages_fetch_failed: {
    title: 'Parley couldn’t load your Facebook Pages.',
    nextStep: 'Facebook may be having trouble. Nothing was saved; choose Connect with Facebook to try again.',
    tone: 'error',
  },
  page_already_connected: {
    title: 'This Facebook Page is already connected to another Parley organization.',
    nextStep:
      'A Page can serve one organization. Disconnect it from the other organization first, or connect a different Page.',
    tone: 'error',
  },
  webhook_subscription_failed: {
    title: 'Your Page is connected, but Parley couldn’t subscribe to its messages yet.',
    nextStep:
      'Parley keeps retrying on its own. You can also choose Retry subscriptions below; until it succeeds, new messages may not arrive.',
    tone: 'warning',
  },
};

const unknown: MetaErrorMessage = {
  title: 'Something went wrong while connecting to Facebook.',
  nextStep: 'Choose Connect with Facebook to try again. If it keeps happening, contact Parley support.',
  tone: 'error',
};

/** The code comes from the URL, so anything may arrive; hasOwn keeps `?meta_error=constructor` generic. */
export function metaErrorMessage(code: string): MetaErrorMessage {
  return Object.hasOwn(messages, code) ? messages[code as MetaErrorCode] : unknown;
}
