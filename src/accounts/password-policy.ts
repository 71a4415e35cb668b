// What a new password must be (issue 14): at least 10 characters (the contract's zod schema says so
// first) and not one of the most common passwords, compared case-insensitively, since guessing lists
// try the lower-case form and its capitalised twin alike.
import { WeakPasswordError } from './account-errors.ts';
import { COMMON_PASSWORDS_TEXT } from './common-passwords-list.ts';

const common = new Set(COMMON_PASSWORDS_TEXT.split('\n'));

export function assertStrongPassword(password: string): void {
  if (password.length < 10) throw new WeakPasswordError('Use at least 10 characters');
  if (common.has(password.trim().toLowerCase())) throw new WeakPasswordError();
}
