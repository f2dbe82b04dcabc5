import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlannedChange } from '../plan/types.js';
import { Secret } from '../secret.js';
import { type SecretPlaces, secretPlaceProblems, secretStore, storeSecret } from './store-secret.js';

function setup(): { root: string; project: string; outside: string; places: SecretPlaces } {
  const root = mkdtempSync(path.join(tmpdir(), 'roster-store-secret-'));
  const project = path.join(root, 'project');
  const outside = path.join(root, 'elsewhere');
  mkdirSync(project);
  mkdirSync(outside);
  return {
    root,
    project,
    outside,
    places: { projectDir: project, registryFile: path.join(project, '.roster/stored-secrets.json') },
  };
}

const secret = (v: string) => new Secret(v, 'test');

describe('storeSecret: where a secret shown once may be written', () => {
  it('stores inside the project (0600, directory 0700) and may replace what it stored itself', async () => {
    const { project, places } = setup();
    const file = path.join(project, 'secrets/a.secret');
    expect(await storeSecret(`file:${file}`, secret('first-secret'), places)).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('first-secret\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const registry = readFileSync(places.registryFile, 'utf8');
    expect(registry).toContain(file);
    expect(registry).not.toContain('first-secret');
    // A rotation: the file still holds what roster wrote, so the new secret replaces it.
    expect(await storeSecret(`file:${file}`, secret('second-secret'), places)).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe('second-secret\n');
  });

  it('refuses a file outside the project, unless its directory is allowed', async () => {
    const { outside, places } = setup();
    const important = path.join(outside, 'important.conf');
    writeFileSync(important, 'keep me\n');
    const why = await storeSecret(`file:${important}`, secret('generated'), places);
    expect(why).toMatch(/is outside the project directory .*apply --secret-dir/);
    expect(readFileSync(important, 'utf8')).toBe('keep me\n');
    const fresh = path.join(outside, 'new.secret');
    expect(await storeSecret(`file:${fresh}`, secret('generated'), places)).toMatch(/outside the project/);
    const allowed = { ...places, allowedDirs: [outside] };
    expect(await storeSecret(`file:${fresh}`, secret('generated'), allowed)).toBeUndefined();
    expect(readFileSync(fresh, 'utf8')).toBe('generated\n');
    // Allowed or not, a file roster did not write is never replaced.
    expect(await storeSecret(`file:${important}`, secret('generated'), allowed)).toMatch(
      /already exists and roster did not store it/,
    );
    expect(readFileSync(important, 'utf8')).toBe('keep me\n');
  });

  it('never replaces a file of the project it did not write, nor one changed since it did', async () => {
    const { project, places } = setup();
    const manifest = path.join(project, 'provider.yaml');
    writeFileSync(manifest, 'apiVersion: roster/v1\n');
    expect(await storeSecret(`file:${manifest}`, secret('generated'), places)).toMatch(
      /already exists and roster did not store it/,
    );
    expect(readFileSync(manifest, 'utf8')).toBe('apiVersion: roster/v1\n');
    const file = path.join(project, 'a.secret');
    expect(await storeSecret(`file:${file}`, secret('one'), places)).toBeUndefined();
    writeFileSync(file, 'edited by a person\n');
    expect(await storeSecret(`file:${file}`, secret('two'), places)).toMatch(/or it changed since/);
    expect(readFileSync(file, 'utf8')).toBe('edited by a person\n');
  });

  it('never writes through a symbolic link, the file itself or a directory on the way', async () => {
    const { project, outside, places } = setup();
    const target = path.join(outside, 'target.conf');
    writeFileSync(target, 'keep me\n');
    const link = path.join(project, 'link.secret');
    symlinkSync(target, link);
    expect(await storeSecret(`file:${link}`, secret('generated'), places)).toMatch(
      /outside the project|link/,
    );
    const inner = path.join(project, 'inner.secret');
    writeFileSync(inner, 'x');
    const innerLink = path.join(project, 'inner-link.secret');
    symlinkSync(inner, innerLink);
    expect(await storeSecret(`file:${innerLink}`, secret('generated'), places)).toMatch(
      /is a symbolic link: roster never writes a secret through a link/,
    );
    symlinkSync(outside, path.join(project, 'secrets'));
    expect(
      await storeSecret(`file:${path.join(project, 'secrets/new.secret')}`, secret('generated'), places),
    ).toMatch(/outside the project directory/);
    expect(readFileSync(target, 'utf8')).toBe('keep me\n');
    expect(readFileSync(inner, 'utf8')).toBe('x');
  });

  it('names an environment variable it cannot set', async () => {
    const { places } = setup();
    expect(await storeSecret('env:X_SECRET', secret('v'), places)).toMatch(
      /cannot set the environment variable X_SECRET/,
    );
  });
});

describe('secretPlaceProblems: checked before anything is applied', () => {
  it('checks the file places of changes that may show a secret, and only those', async () => {
    const { project, outside, places } = setup();
    const change = (action: string, credentials: Record<string, string>, secrets = false) =>
      ({
        address: `p/ServiceAccount/${action}`,
        action,
        credentials,
        ...(secrets ? { manual: { runbook: { secrets: [{ label: 's', credential: 'secret' }] } } } : {}),
      }) as unknown as PlannedChange;
    const bad = `file:${path.join(outside, 'x.conf')}`;
    const good = `file:${path.join(project, 'secrets/x.secret')}`;
    const problems = await secretPlaceProblems(
      [
        change('create', { secret: bad }),
        change('update', { secret: bad }),
        change('rotate', { secret: good, other: 'env:OTHER' }),
        change('no-op', { secret: bad }, true),
      ],
      secretStore(places).checkSecretPlace,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^p\/ServiceAccount\/create: credentials\.secret: .* is outside the project directory/,
      ),
      expect.stringMatching(
        /^p\/ServiceAccount\/no-op: credentials\.secret: .* is outside the project directory/,
      ),
    ]);
  });
});
