// What the accounts module refuses; app.ts maps each class to its HTTP status and code.
export class EmailTakenError extends Error {
  constructor() {
    super('An account with this email already exists');
    this.name = 'EmailTakenError';
  }
}

export class InvalidCredentialsError extends Error {
  constructor() {
    super('Email or password is incorrect');
    this.name = 'InvalidCredentialsError';
  }
}

export class NotAuthenticatedError extends Error {
  constructor() {
    super('Sign in to continue');
    this.name = 'NotAuthenticatedError';
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'Your role does not allow this') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** The organization would be left without an owner (CONTRACT §3: 409 last_owner). */
export class LastOwnerError extends Error {
  constructor() {
    super('An organization needs at least one owner: make someone else owner first');
    this.name = 'LastOwnerError';
  }
}

export class AlreadyMemberError extends Error {
  constructor() {
    super('This person is already a member of your organization');
    this.name = 'AlreadyMemberError';
  }
}

export class MemberNotFoundError extends Error {
  constructor() {
    super('No such member in your organization');
    this.name = 'MemberNotFoundError';
  }
}

/** Unknown, used, revoked or expired: the invitee is told the same thing for each (no oracle). */
export class InvitationNotFoundError extends Error {
  constructor() {
    super('This invitation link is no longer valid. Ask for a new one.');
    this.name = 'InvitationNotFoundError';
  }
}

export class ResetLinkInvalidError extends Error {
  constructor() {
    super('This password reset link has expired or was already used. Ask for a new one.');
    this.name = 'ResetLinkInvalidError';
  }
}

export class WeakPasswordError extends Error {
  constructor(message = 'This password is too common; choose one that is harder to guess') {
    super(message);
    this.name = 'WeakPasswordError';
  }
}

export class InvalidCodeError extends Error {
  constructor() {
    super('That code is not right. Check your authenticator app and try again.');
    this.name = 'InvalidCodeError';
  }
}

/** The two-factor step of a login came too late or too many times: start over with the password. */
export class ChallengeExpiredError extends Error {
  constructor() {
    super('This sign-in has expired. Enter your email and password again.');
    this.name = 'ChallengeExpiredError';
  }
}

export class TwoFactorStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwoFactorStateError';
  }
}

/** The organization requires two-factor sign-in and this member has not turned it on yet. */
export class TwoFactorRequiredError extends Error {
  constructor() {
    super('Your organization requires two-factor sign-in. Turn it on on your Account page first.');
    this.name = 'TwoFactorRequiredError';
  }
}

export class SessionNotFoundError extends Error {
  constructor() {
    super('No such session');
    this.name = 'SessionNotFoundError';
  }
}
