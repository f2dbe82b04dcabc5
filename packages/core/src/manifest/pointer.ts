import { excerpt } from './excerpt.js';

/** Split an RFC 6901 JSON pointer (`/spec/roles/0`) into unescaped segments (`['spec', 'roles', '0']`). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `pointer` extended by one segment, escaped per RFC 6901. */
export function childPointer(pointer: string, segment: string | number): string {
  // Called for every node of every document: most segments need no escaping, and no regex.
  if (typeof segment === 'number' || (!segment.includes('~') && !segment.includes('/'))) {
    return `${pointer}/${segment}`;
  }
  return `${pointer}/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * The path a person reads in a message: `/spec/roles/0/ref` → `spec.roles[0].ref`. Keys that are not
 * plain identifiers are quoted (`metadata.labels["app.kubernetes.io/name"]`) so the path stays unambiguous.
 * A segment longer than `MAX_ECHO_CHARS` is cut (`excerpt`): it is a line of some other file, not a key.
 */
export function dottedPath(pointer: string): string {
  let out = '';
  for (const segment of pointerSegments(pointer)) {
    const s = excerpt(segment);
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
