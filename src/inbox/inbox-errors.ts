// What the inbox refuses; app.ts maps each class to its HTTP status and code. Messages are shown to
// agents as they are: they name what to do, never Meta's internals.
import { classifyGraphError, describeGraphFailure } from '../meta/graph-error-class.ts';
import { GraphApiError } from '../meta/graph-errors.ts';
import { WINDOW_SUBCODES } from '../meta/send-api.ts';

export class ConversationNotFoundError extends Error {
  constructor() {
    super('No such conversation');
    this.name = 'ConversationNotFoundError';
  }
}

export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not valid; start again from the first page');
    this.name = 'InvalidCursorError';
  }
}

export class OutsideMessagingWindowError extends Error {
  constructor() {
    super(
      "More than 24 hours have passed since this person's last message; Meta only allows a reply after they write again",
    );
    this.name = 'OutsideMessagingWindowError';
  }
}

export class ReauthRequiredError extends Error {
  constructor() {
    super('Meta no longer accepts the connection to this Page; an admin must reconnect it with Facebook');
    this.name = 'ReauthRequiredError';
  }
}

export class MetaUnavailableError extends Error {
  constructor() {
    super('Meta could not be reached or is busy; the message was not sent. Try again in a moment');
    this.name = 'MetaUnavailableError';
  }
}

export class MessageRejectedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MessageRejectedError';
  }
}

export class TextTooLongError extends Error {
  constructor(limit: number, channelName: string) {
    super(
      `${channelName} accepts at most ${limit.toLocaleString('en')} characters; shorten the message (nothing was sent)`,
    );
    this.name = 'TextTooLongError';
  }
}

/** The assignee named is not a member of the conversation's organization (CONTRACT §6). */
export class NotAMemberError extends Error {
  constructor() {
    super('That person is not a member of this organization');
    this.name = 'NotAMemberError';
  }
}

/** The named error a send Meta refused is answered with (its message also stays on the message). */
export function sendFailure(err: unknown): Error {
  if (
    err instanceof GraphApiError &&
    err.code === 10 &&
    err.subcode !== null &&
    WINDOW_SUBCODES.has(err.subcode)
  ) {
    return new OutsideMessagingWindowError();
  }
  const cls = classifyGraphError(err);
  if (cls === 'reauth_required') return new ReauthRequiredError();
  if (cls === 'transient' || cls === 'rate_limited') return new MetaUnavailableError();
  return new MessageRejectedError(`Meta refused this message: ${describeGraphFailure(err)}`);
}
