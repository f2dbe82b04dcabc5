import type { Diagnostic } from '../diagnostics.js';
import type { PolicySettings } from '../policy/config.js';
import type { BackendSettings } from '../state/backend-document.js';

/** A place in a manifest file (1-based line and column). */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** Lifecycle settings of a resource document. */
export interface Lifecycle {
  /** Refuse any plan that would delete, deactivate or replace this resource. */
  preventDestroy?: boolean;
  /** Let a change of an `immutable` or `fixedAtCreation` attribute replace the object. */
  allowReplace?: boolean;
  /** What removing the resource from the manifests does (default: the kind's `deleteMode`). */
  onRemove?: 'delete' | 'deactivate';
  /**
   * Spec attributes roster sets at creation but then leaves alone (Terraform's `ignore_changes`):
   * never compared, never planned back, never reported as drift. Ignoring a privilege attribute is a
   * warning in every plan.
   */
  ignoreChanges?: string[];
}

/** One manifest document, loaded, interpolated and validated. */
export interface ManifestDocument {
  apiVersion: string;
  kind: string;
  name: string;
  /** `metadata.provider`; absent on `Provider` documents. */
  provider?: string;
  labels: Record<string, string>;
  /** With `${env:…}`/`${file:…}` in `credentials` replaced by `Secret` values. */
  spec: Record<string, unknown>;
  lifecycle: Lifecycle;
  /** `<provider>/<Kind>/<name>`, or `Provider/<name>` for Provider documents. */
  address: string;
  source: DocumentSource;
}

/** Where a document came from, and the position of any JSON pointer inside it. */
export interface DocumentSource {
  file: string;
  /** 0-based index of the document in its file. */
  index: number;
  /** Position of the document's start. */
  start: SourcePosition;
  /**
   * Position of the value at `pointer` (RFC 6901, from the document root, e.g. `/spec/id`), or of its
   * nearest existing ancestor.
   */
  positionOf(pointer: string): SourcePosition;
}

/** Result of loading manifests: documents plus every problem found, none thrown. */
export interface LoadResult {
  documents: ManifestDocument[];
  diagnostics: Diagnostic[];
  files: string[];
  /** Policy rules' settings: their defaults, and what `kind: Policy` documents change. */
  policies: PolicySettings;
  /** The project's `kind: Backend` document, when it has one. */
  backend?: BackendSettings;
}
