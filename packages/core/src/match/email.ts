/**
 * The shape of an e-mail address in manifests (JSON Schema `pattern`, matched by Ajv with a
 * backtracking RegExp): one `@`, no whitespace, a dot inside the domain. The obvious
 * `^[^@\s]+@[^@\s]+\.[^@\s]+$` takes time quadratic in the length of a domain full of dots that
 * fails at its end (200 KB: 26 s for `roster validate`; a 5 MiB manifest allows hours). This one
 * accepts exactly the same strings: the domain's first character, then up to its first dot after
 * that (a class without the dot, so there is only one way), then at least one character; each
 * character is tried once.
 */
export const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s][^@\\s.]*\\.[^@\\s]+$';
