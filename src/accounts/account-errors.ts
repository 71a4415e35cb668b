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
