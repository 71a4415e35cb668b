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

/** The organization keeps SAVED_REPLIES_MAX already (409 limit_reached). */
export class SavedRepliesLimitError extends Error {
  constructor(max: number) {
    super(`This organization has ${max} saved replies, the most it can keep; delete one to add another`);
    this.name = 'SavedRepliesLimitError';
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
