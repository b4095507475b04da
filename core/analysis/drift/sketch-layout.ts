/**
 * Where each count of a drift sketch lives. A sketch is one Float64Array of counts per period (an hour, as stored);
 * its layout follows the reference it was counted against: per number field the reference's PSI bins (CONTRACT.md
 * section 4: bin = searchsorted(edges, value, side="left")), then missing, below the reference minimum and above its
 * maximum; per category field the schema's categories, then missing (categories outside the schema are counted by
 * name beside the array). The key names the layout, so sketches counted against another reference are never mixed in.
 */
import { createHash } from 'node:crypto';
import type { FieldSpec } from '../../contract/index.ts';
import type { DriftReference, NumberReference } from './reference.ts';

/** Bumped when the way sketches are counted changes: sketches of an older format are then rebuilt. */
export const SKETCH_FORMAT = 1;

export interface NumberSlot {
  kind: 'number';
  name: string;
  /** Index of the first bin count; then edges.length + 1 bins, missing, below, above. */
  offset: number;
  /** The reference's PSI edges; empty when it has no bins (every present value then counts in one bin). */
  edges: readonly number[];
  min: number;
  max: number;
}

export interface CategorySlot {
  kind: 'category';
  name: string;
  /** Index of the count of labels[0]; then one count per label, then missing. */
  offset: number;
  /** The schema's categories. */
  labels: readonly string[];
}

export type Slot = NumberSlot | CategorySlot;

export interface SketchLayout {
  /** Identifies the reference and the layout: sketches are stored and looked up under it. */
  key: string;
  fields: Slot[];
  prediction: NumberSlot | null;
  /** Length of a sketch's counts array. */
  width: number;
}

/** Offsets inside a number slot, after its bins. */
export function numberSlotParts(slot: NumberSlot): { bins: number; missing: number; below: number; above: number } {
  const bins = slot.edges.length + 1;
  return { bins, missing: slot.offset + bins, below: slot.offset + bins + 1, above: slot.offset + bins + 2 };
}

function numberSlot(reference: NumberReference, offset: number): NumberSlot {
  return {
    kind: 'number',
    name: reference.name,
    offset,
    edges: reference.bins ? [...reference.bins.edges] : [],
    min: reference.min,
    max: reference.max,
  };
}

/**
 * The layout of sketches against `reference` for the fields read from the store (`fields`: the schema's drift
 * fields). A field is laid out when the reference has it with the same kind, as analyzeDrift compares it.
 * `identity` names the reference for people and the key (the champion's model name and version).
 */
export function sketchLayout(reference: DriftReference, fields: readonly FieldSpec[], identity: string): SketchLayout {
  const specs = new Map(fields.map((f) => [f.name, f]));
  const slots: Slot[] = [];
  let width = 0;
  for (const [name, ref] of reference.fields) {
    const spec = specs.get(name);
    if (!spec || (spec.kind === 'category') !== (ref.kind === 'category')) continue;
    if (ref.kind === 'number') {
      const slot = numberSlot(ref, width);
      slots.push(slot);
      width += slot.edges.length + 4;
    } else {
      const labels = [...(spec.categories ?? [])];
      slots.push({ kind: 'category', name, offset: width, labels });
      width += labels.length + 1;
    }
  }
  let prediction: NumberSlot | null = null;
  if (reference.prediction) {
    prediction = numberSlot(reference.prediction, width);
    width += prediction.edges.length + 4;
  }
  const key = createHash('sha256')
    .update(JSON.stringify({ format: SKETCH_FORMAT, identity, slots, prediction }))
    .digest('hex')
    .slice(0, 24);
  return { key: `${identity}#${key}`, fields: slots, prediction, width };
}

/** The fields to read from the store to count sketches in `layout`, in schema order. */
export function sketchFields(layout: SketchLayout, fields: readonly FieldSpec[]): FieldSpec[] {
  const laid = new Set(layout.fields.map((s) => s.name));
  return fields.filter((f) => laid.has(f.name));
}
