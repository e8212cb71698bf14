// Activation functions applied elementwise to numbers, vectors, feature maps and volumes.
// They add the non-linearity that stacking convolutions alone would not have.
import { noteReferenceCall } from "../check/reference-use";

/** A number or any nesting of number arrays (vector, matrix, volume). */
export type NestedNumbers = number | NestedNumbers[];

/** Applies `f` to every number of a nested array, keeping its shape. */
export function mapNested<T extends NestedNumbers>(x: T, f: (v: number) => number): T {
  if (typeof x === "number") return f(x) as T;
  if (!Array.isArray(x)) throw new Error(`esperava um número ou arrays de números, recebi ${typeof x}.`);
  return x.map((v) => mapNested(v, f)) as T;
}

/** ReLU: max(0, v) for each value; negatives (the "not found here" of a feature map) become 0. */
export function relu<T extends NestedNumbers>(x: T): T {
  noteReferenceCall("relu");
  return mapNested(x, (v) => (v > 0 ? v : 0));
}
