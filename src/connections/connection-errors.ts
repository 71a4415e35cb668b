// What the connection flow refuses; app.ts maps each class to its HTTP status and code.
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
