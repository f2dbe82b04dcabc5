/**
 * What `roster drift` can find: attributes `changed` outside roster, objects `deleted` outside
 * roster, and `unmanaged` objects (in the system, in no manifest and not in state).
 */
export type DriftClass = 'changed' | 'deleted' | 'unmanaged';

/** The drift classes, in the order reports show them. */
export const DRIFT_CLASSES: readonly DriftClass[] = ['changed', 'deleted', 'unmanaged'];

/** Which classes a run looks for (`--no-changed`, `--no-deleted`, `--no-unmanaged` switch one off). */
export type DriftClasses = Record<DriftClass, boolean>;

/** Every class on: the default. */
export const ALL_DRIFT_CLASSES: DriftClasses = { changed: true, deleted: true, unmanaged: true };
