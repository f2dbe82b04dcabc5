import { describe, expect, it } from 'vitest';
import { applyPatch } from './patch.js';
import { resourceRules } from './schemas.js';

const rules = resourceRules(['externalId']);
const op = (...Operations: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations,
});
const group = { id: 'g', displayName: 'Ops', members: [{ value: 'u1' }, { value: 'u2' }] };
const user = { id: 'u', userName: 'svc', externalId: 'E1', emails: [{ value: 'a@x', primary: true }] };

describe('the sandbox PATCH (RFC 7644 §3.5.2)', () => {
  it('does the members idioms: add (a member already there is a no-op), remove by filter, replace all', () => {
    const added = applyPatch(
      group,
      op({ op: 'add', path: 'members', value: [{ value: 'u3' }, { value: 'u1' }] }),
      rules.Groups,
    );
    expect(added.members).toEqual([{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }]);
    const removed = applyPatch(group, op({ op: 'remove', path: 'members[value eq "u1"]' }), rules.Groups);
    expect(removed.members).toEqual([{ value: 'u2' }]);
    expect(applyPatch(group, op({ op: 'remove', path: 'members[value eq "nobody"]' }), rules.Groups)).toEqual(
      group,
    );
    expect(
      applyPatch(group, op({ op: 'replace', path: 'members', value: [{ value: 'u9' }] }), rules.Groups)
        .members,
    ).toEqual([{ value: 'u9' }]);
  });

  it('replaces without a path, merges extension attributes into their URN, and adds the URN to schemas', () => {
    const out = applyPatch(
      { ...user, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] },
      op(
        { op: 'replace', value: { displayName: 'Svc', active: false } },
        {
          op: 'add',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          value: 'IT',
        },
        { op: 'add', path: 'emails', value: [{ value: 'b@x', primary: true }] },
      ),
      rules.Users,
    );
    expect(out).toMatchObject({
      displayName: 'Svc',
      active: false,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'IT' },
    });
    expect(out.schemas).toContain('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    // One new primary makes the others not primary.
    expect(out.emails).toEqual([
      { value: 'a@x', primary: false },
      { value: 'b@x', primary: true },
    ]);
  });

  it('is atomic and answers noTarget, mutability and invalidValue as the RFC says', () => {
    const attempt =
      (...ops: unknown[]) =>
      () =>
        applyPatch(user, op(...ops), rules.Users);
    expect(attempt({ op: 'replace', path: 'displayName', value: 'x' }, { op: 'remove' })).toThrow(
      expect.objectContaining({ scimType: 'noTarget' }),
    );
    expect(user).not.toHaveProperty('displayName');
    expect(attempt({ op: 'replace', path: 'emails[value eq "none"].type', value: 'work' })).toThrow(
      expect.objectContaining({ scimType: 'noTarget' }),
    );
    expect(attempt({ op: 'remove', path: 'userName' })).toThrow(
      expect.objectContaining({ scimType: 'mutability' }),
    );
    expect(attempt({ op: 'replace', path: 'externalId', value: 'E2' })).toThrow(
      expect.objectContaining({ scimType: 'mutability' }),
    );
    expect(attempt({ op: 'replace', path: 'groups', value: [] })).toThrow(
      expect.objectContaining({ scimType: 'mutability' }),
    );
    expect(attempt({ op: 'add', path: 'displayName' })).toThrow(
      expect.objectContaining({ scimType: 'invalidValue' }),
    );
  });
});
