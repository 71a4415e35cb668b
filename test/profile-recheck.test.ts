// Which conversations are queued for a name lookup as their messages arrive (issue 15): a person whose
// profile Meta withheld within the hour is not queued again with every message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsProfile } from '../src/inbox/profile-recheck.ts';

describe('needsProfile', () => {
  const now = 10_000_000;
  it('asks for a person with no name who was never looked up', () => {
    assert.equal(needsProfile({ participant_name: null, profile_checked_at: null }, now), true);
  });
  it('does not ask again within the hour of a lookup that found nothing, and does after it', () => {
    assert.equal(needsProfile({ participant_name: null, profile_checked_at: now - 59 * 60_000 }, now), false);
    assert.equal(needsProfile({ participant_name: null, profile_checked_at: now - 60 * 60_000 }, now), true);
  });
  it('never asks for a person who has a name', () => {
    assert.equal(needsProfile({ participant_name: 'Rosa', profile_checked_at: null }, now), false);
  });
});
