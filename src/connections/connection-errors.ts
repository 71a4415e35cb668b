// What the connection flow refuses; app.ts maps each class to its HTTP status and code.
import { classifyGraphError, describeGraphFailure } from '../meta/graph-error-class.ts';

export class NoPendingPagesError extends Error {
  constructor() {
    super('There is no list of Pages waiting for a choice, or it expired; connect with Facebook again');
    this.name = 'NoPendingPagesError';
  }
}

export class PageNotInListError extends Error {
  constructor() {
    super('That Page is not in the list Facebook returned for this connection');
    this.name = 'PageNotInListError';
  }
}

export class PageAlreadyConnectedError extends Error {
  constructor() {
    super('This Page is already connected to another Parley organization');
    this.name = 'PageAlreadyConnectedError';
  }
}

export class PageUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PageUnavailableError';
  }
}

export class NotConnectedError extends Error {
  constructor() {
    super('No Facebook Page is connected');
    this.name = 'NotConnectedError';
  }
}

export class MetaNotConfiguredError extends Error {
  constructor() {
    super('No Meta app is configured');
    this.name = 'MetaNotConfiguredError';
  }
}

/** Meta would not hand over the chosen Page's long-lived token (transient or the grant changed). */
export class PageTokenUnavailableError extends Error {
  constructor() {
    super("Meta did not give Parley this Page's access token; try again, or connect with Facebook again");
    this.name = 'PageTokenUnavailableError';
  }
}

/** An admin's action needed Meta, and Meta could not be reached or was busy: nothing was changed. */
export class MetaUnreachableError extends Error {
  constructor() {
    super('Meta could not be reached or is busy, so nothing was checked or changed; try again in a moment');
    this.name = 'MetaUnreachableError';
  }
}

/** An admin's action needed Meta, and Meta refused it (a lost permission, say): the reason, in our words. */
export class MetaRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MetaRefusedError';
  }
}

/** A Graph failure during an admin's action, as the named error the card shows. */
export function metaActionFailure(err: unknown): Error {
  const cls = classifyGraphError(err);
  if (cls === 'transient' || cls === 'rate_limited') return new MetaUnreachableError();
  return new MetaRefusedError(describeGraphFailure(err));
}
