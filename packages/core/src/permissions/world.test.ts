import { describe, expect, it } from 'vitest';
import { accountKind } from '../kind-fixtures.testing.js';
import type { Permission, WorldResource } from './types.js';
import { makeWorld } from './world.js';

const resource = (name: string, provider = 'p', kind = 'Account'): WorldResource => ({
  address: `${provider}/${kind}/${name}`,
  provider,
  providerType: 't',
  kind,
  name,
  naturalKey: name.toUpperCase(),
  labels: {},
  attributes: {},
});

describe('makeWorld', () => {
  it('lists one permission per name, sorted: the last given, unless an earlier one escalates', () => {
    const given: Permission[] = [
      { name: 'b', pointer: '/1' },
      { name: 'a', pointer: '/2' },
      { name: 'b', pointer: '/3' },
      { name: 'c', escalates: true, pointer: '/4' },
      { name: 'a', pointer: '/5' },
      { name: 'c', pointer: '/6' },
      { name: 'b', pointer: '/7' },
    ];
    const world = makeWorld([resource('x')], () => accountKind(() => given));
    expect(world.permissionsOf(resource('x'))).toEqual([
      { name: 'a', pointer: '/5' },
      { name: 'b', pointer: '/7' },
      { name: 'c', escalates: true, pointer: '/4' },
    ]);
    expect(given.map((p) => p.pointer)).toEqual(['/1', '/2', '/3', '/4', '/5', '/6', '/7']);
  });

  it('shares one list between resources with equal permissions, and only between those', () => {
    const grants: Record<string, Array<Permission & { note?: string }>> = {
      a: [
        { name: 'read', pointer: '/spec/roles/0' },
        { name: 'admin', escalates: true },
      ],
      b: [
        { name: 'admin', escalates: true },
        { name: 'read', pointer: '/spec/roles/0' },
      ],
      c: [
        { name: 'read', pointer: '/spec/roles/1' },
        { name: 'admin', escalates: true },
      ],
      d: [
        { name: 'read', pointer: '/spec/roles/0' },
        { name: 'admin', escalates: false },
      ],
      e: [{ name: 'read', pointer: '/spec/roles/0' }, { name: 'admin' }],
      f: [
        { name: 'read', pointer: '/spec/roles/0' },
        { name: 'admin', escalates: true, note: 'x' },
      ],
      g: [
        { name: 'read', pointer: '/spec/roles/0' },
        { name: 'admin', escalates: true, note: 'x' },
      ],
      h: [{ name: 'read:1', pointer: 'u' }],
      i: [{ name: 'read', pointer: ':1u' }],
    };
    const all = Object.keys(grants).map((n) => resource(n));
    const world = makeWorld(all, () => accountKind(({ resource: r }) => grants[r.name]!));
    const [a, b, c, d, e, f, g, h, i] = all.map((r) => world.permissionsOf(r));
    expect(b).toBe(a);
    expect(a).toEqual([
      { name: 'admin', escalates: true },
      { name: 'read', pointer: '/spec/roles/0' },
    ]);
    for (const other of [c, d, e, f, h]) expect(other).not.toBe(a);
    expect(f).toEqual(g);
    expect(f).not.toBe(g);
    expect(h).not.toBe(i);
    expect(i).toEqual([{ name: 'read', pointer: ':1u' }]);
  });

  it('shares lists whose permissions came the same way (equal via paths), and only those', () => {
    const grants: Record<string, Permission[]> = {
      a: [{ name: 'read', via: ['p/Group/g', 'p/Role/r'] }],
      b: [{ name: 'read', via: ['p/Group/g', 'p/Role/r'] }],
      c: [{ name: 'read', via: ['p/Role/r'] }],
      d: [{ name: 'read', via: ['p/Group/g', 'p/Role/s'] }],
      e: [{ name: 'read' }],
      f: [{ name: 'read', via: ['p/Group/gp/Role/r'] }],
    };
    const all = Object.keys(grants).map((n) => resource(n));
    const world = makeWorld(all, () => accountKind(({ resource: r }) => grants[r.name]!));
    const [a, b, c, d, e, f] = all.map((r) => world.permissionsOf(r));
    expect(b).toBe(a);
    expect(a).toEqual([{ name: 'read', via: ['p/Group/g', 'p/Role/r'] }]);
    for (const other of [c, d, e, f]) expect(other).not.toBe(a);
  });

  it('resolves by address, or by natural key or name within the provider and kind', () => {
    const a = resource('a');
    const b = resource('b', 'p', 'Role');
    const c = resource('c', 'q', 'Role');
    const world = makeWorld([a, b, c], () => undefined);
    expect(world.resolve(a, 'Role', { ref: 'B' })).toBe(b);
    expect(world.resolve(a, 'Role', { ref: 'b' })).toBe(b);
    expect(world.resolve(a, 'Role', { ref: 'q/Role/c' })).toBe(c);
    expect(world.resolve(a, 'Role', { ref: 'C' })).toBeUndefined();
    expect(world.resolve(a, 'Account', { ref: 'B' })).toBeUndefined();
    expect(world.resolve(a, 'Role', 'B')).toBeUndefined();
  });
});
