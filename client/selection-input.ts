/** A selection as callers give it: parsed and checked (parseSelection) before anything is used. */
export interface SelectionInput {
  policy_types?: readonly string[];
  categories?: readonly string[];
}
