import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FieldSyntaxError, parseFields } from '../fields.ts';

describe('fields parser', () => {
  it('parses nested expansion', () => {
    assert.deepEqual(parseFields('id,name,instagram_business_account{id,username}'), [
      { name: 'id', children: null },
      { name: 'name', children: null },
      {
        name: 'instagram_business_account',
        children: [
          { name: 'id', children: null },
          { name: 'username', children: null },
        ],
      },
    ]);
  });

  it('ignores modifiers and whitespace, keeps deep nesting', () => {
    assert.deepEqual(parseFields(' albums.limit(5){ name , photos.limit(2){picture} }'), [
      {
        name: 'albums',
        children: [
          { name: 'name', children: null },
          { name: 'photos', children: [{ name: 'picture', children: null }] },
        ],
      },
    ]);
  });

  it('reports syntax errors with Meta-like position', () => {
    assert.throws(
      () => parseFields('id,name}'),
      (err: unknown) => {
        assert.ok(err instanceof FieldSyntaxError);
        assert.equal(err.position, 7);
        assert.match(err.message, /Expected end of string instead of "}"/);
        return true;
      },
    );
    assert.throws(() => parseFields('id,{x}'), FieldSyntaxError);
    assert.throws(() => parseFields('a{b'), FieldSyntaxError);
  });
});
