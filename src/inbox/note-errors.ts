// What the note service refuses; app.ts maps each class to its HTTP status and code.
import { NOTE_MAX_LENGTH } from '../contract.ts';

export class EmptyNoteError extends Error {
  constructor() {
    super('Write something in the note first');
    this.name = 'EmptyNoteError';
  }
}

export class NoteTooLongError extends Error {
  constructor() {
    super(
      `A note holds at most ${NOTE_MAX_LENGTH.toLocaleString('en')} characters; shorten it (nothing was saved)`,
    );
    this.name = 'NoteTooLongError';
  }
}
