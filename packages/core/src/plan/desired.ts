import type { Lifecycle, SourcePosition } from '../manifest/types.js';

/**
 * A resource as the manifests want it, ready for planning: references resolved to
 * `{ ref: <natural key of the target> }`, credentials as `Secret` values.
 */
export interface DesiredResource {
  address: string;
  provider: string;
  kind: string;
  name: string;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
  naturalKey: string;
  lifecycle: Lifecycle;
  /** Addresses of the resources this one references. */
  dependencies: string[];
  /** Where a JSON pointer into the document (e.g. `/spec/id`) is in the manifest. */
  positionOf(pointer: string): SourcePosition | undefined;
}
