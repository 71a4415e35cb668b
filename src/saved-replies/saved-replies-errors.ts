// What the saved replies refuse; app.ts maps each class to its HTTP status and code. Refusals of the
// role are the accounts' ForbiddenError (403 forbidden), like every other owner/admin-only write.
export class SavedReplyNotFoundError extends Error {
  constructor() {
    super('No such saved reply');
    this.name = 'SavedReplyNotFoundError';
  }
}

/** Another saved reply of the organization has this title, in any case (409 title_taken). */
export class SavedReplyTitleTakenError extends Error {
  constructor() {
    super('A saved reply with this title already exists; choose another title');
    this.name = 'SavedReplyTitleTakenError';
  }
}

export class InvalidSavedReplyTitleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSavedReplyTitleError';
  }
}

export class InvalidSavedReplyTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSavedReplyTextError';
  }
}
