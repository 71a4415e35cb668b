// Client-side checks that mirror the server's (src/contract.ts): they only spare a round trip and word
// the problem next to the field; the server decides.
export const PASSWORD_MIN_LENGTH = 10;

// Deliberately loose (something@something.tld): the server's email check is the real one.
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(email: string): string | undefined {
  if (email.trim() === '') return 'Enter your email address.';
  if (!emailShape.test(email.trim())) return 'Enter an email address like name@example.com.';
  return undefined;
}

export function newPasswordError(password: string): string | undefined {
  if (password === '') return 'Enter a password.';
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  return undefined;
}
