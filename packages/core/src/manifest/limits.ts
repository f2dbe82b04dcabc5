/**
 * Limits on manifest input. Manifests come from pull requests, so a hostile or broken file must
 * fail with one clear diagnostic instead of exhausting memory or CPU. Each limit is far above
 * what a real project needs (a 10,000-account project fits in a few MiB spread over many files).
 */
export const MANIFEST_LIMITS = {
  /** Bytes per manifest file (5 MiB). */
  maxFileBytes: 5 * 1024 * 1024,
  /** YAML documents per file. */
  maxDocumentsPerFile: 10_000,
  /**
   * Alias expansions per document, passed to yaml's `maxAliasCount` (its "billion laughs" guard:
   * a few anchors referencing each other can otherwise expand to gigabytes).
   */
  maxAliasCount: 100,
  /** Nesting depth of mappings and sequences in a document (a real manifest needs fewer than 10). */
  maxDepth: 64,
  /** Bytes of a `${file:PATH}` credential (keys and certificate chains fit; `/dev/zero` does not). */
  maxSecretFileBytes: 64 * 1024,
} as const;
