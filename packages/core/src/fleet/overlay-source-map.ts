import { LineCounter } from 'yaml';
import { SourceMap } from '../manifest/source-map.js';
import type { SourcePosition } from '../manifest/types.js';

/** A part of a derived document that came from another file: where its pointers are found there. */
export interface Overlay {
  /** Pointer in the derived document (e.g. `/spec/endpoint`). */
  at: string;
  /** The source map of the file the value came from. */
  map: SourceMap;
  /** The same value's pointer in that file (e.g. `/spec/providers/autotask/endpoint`). */
  from: string;
}

/**
 * The source map of a document a fleet builds from several files (a baseline Provider with the
 * Tenant's endpoint and credentials, a baseline resource with a deviation's spec merged in): a
 * pointer under an overlay is placed in the file it came from, any other in the base document, so
 * every diagnostic still names the line a person wrote.
 */
export class OverlaySourceMap extends SourceMap {
  readonly #base: SourceMap;
  readonly #overlays: readonly Overlay[];

  constructor(base: SourceMap, overlays: readonly Overlay[]) {
    super(base.file, new LineCounter(), 0);
    this.#base = base;
    // Longest first: the most specific overlay wins.
    this.#overlays = [...overlays].sort((a, b) => b.at.length - a.at.length);
  }

  #find(pointer: string): { map: SourceMap; pointer: string } {
    for (const o of this.#overlays) {
      if (pointer === o.at || pointer.startsWith(`${o.at}/`))
        return { map: o.map, pointer: o.from + pointer.slice(o.at.length) };
    }
    return { map: this.#base, pointer };
  }

  override at(offset: number): SourcePosition {
    return this.#base.at(offset);
  }

  override start(): SourcePosition {
    return this.#base.start();
  }

  override positionOf(pointer: string): SourcePosition {
    const found = this.#find(pointer);
    return found.map.positionOf(found.pointer);
  }

  override keyPositionOf(pointer: string): SourcePosition {
    const found = this.#find(pointer);
    return found.map.keyPositionOf(found.pointer);
  }
}
