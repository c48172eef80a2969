import { invalidRequest } from './errors.js';
import { renderRecord } from './render.js';
import type { StripeWorld } from './world.js';

type Json = Record<string, unknown>;

/** Stripe allows expansions up to four levels deep. */
const maxDepth = 4;

/**
 * Replaces ids by the objects they name along each `expand[]` path (`balance_transaction`,
 * `latest_charge.balance_transaction`; on lists, `data.source`). A path through something that
 * is not an id or an object is refused as Stripe refuses it.
 */
export function expand(world: StripeWorld, object: Json, paths: readonly string[]): Json {
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > maxDepth)
      throw invalidRequest(`You cannot expand more than ${maxDepth} levels of a property. Property: ${path}`, 'expand');
    expandAlong(world, object, segments, path);
  }
  return object;
}

function expandAlong(world: StripeWorld, object: Json, segments: string[], path: string): void {
  const [head, ...rest] = segments as [string, ...string[]];
  if (!(head in object)) throw invalidRequest(`This property cannot be expanded (${head}).`, 'expand');
  let value = object[head];
  if (typeof value === 'string') {
    const found = world.lookup(value);
    if (found === undefined) throw invalidRequest(`This property cannot be expanded (${head}).`, 'expand');
    value = renderRecord(world, found.collection, found.record);
    object[head] = value;
  }
  if (rest.length === 0) {
    if (value !== null && typeof value !== 'object') throw invalidRequest(`This property cannot be expanded (${head}).`, 'expand');
    return;
  }
  if (value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null) expandAlong(world, item as Json, rest, path);
    return;
  }
  if (typeof value !== 'object') throw invalidRequest(`This property cannot be expanded (${head}).`, 'expand');
  expandAlong(world, value as Json, rest, path);
}
