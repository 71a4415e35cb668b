// The @mention rule (src/inbox/mention-parser.ts) on its own: display names with spaces, longest first,
// case-insensitive, email local parts for members without a name, word boundaries on both sides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMentions, mentionHandle } from '../src/inbox/mention-parser.ts';

const members = [
  { id: 'ana', name: 'Ana', email: 'ana@example.com' },
  { id: 'ana-lima', name: 'Ana Lima', email: 'al@example.com' },
  { id: 'bo', name: null, email: 'bo.berg@example.com' },
  { id: 'blank', name: '  ', email: 'zoe@example.com' },
  { id: 'jose', name: 'José', email: 'j@example.com' },
];

describe('mention parser', () => {
  it('a handle is the display name, or the email local part without one', () => {
    assert.equal(mentionHandle(members[1]!), 'Ana Lima');
    assert.equal(mentionHandle(members[2]!), 'bo.berg');
    assert.equal(mentionHandle(members[3]!), 'zoe');
  });

  it('longest name wins, in any case; each member once, in order of first mention', () => {
    assert.deepEqual(findMentions('@ana lima and @ANA, again @Ana Lima', members), ['ana-lima', 'ana']);
    assert.deepEqual(findMentions('ping @bo.berg, @zoe and @josé.', members), ['bo', 'blank', 'jose']);
  });

  it('a name must end where a word ends, and an @ inside a word is an address', () => {
    assert.deepEqual(findMentions('@Anabel @Ana_x', members), []);
    assert.deepEqual(findMentions('write to x@ana.example or ana@example.com', members), []);
    assert.deepEqual(findMentions('(@Ana)', members), ['ana']);
  });

  it('nobody, or someone outside the list, is just text', () => {
    assert.deepEqual(findMentions('@Zed says hi', members), []);
    assert.deepEqual(findMentions('no mentions @ all', members), []);
  });
});
