import { invalidRequest, missingParameter } from './errors.js';

/** A request's parameters after Stripe's form encoding (`a[b]=c`, `expand[0]=x`) is decoded. */
export type Params = Record<string, unknown>;

/** A `created`-style filter: an exact Unix time, or any of `gt`, `gte`, `lt`, `lte`. */
export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** Stripe refuses what it does not know: `Received unknown parameter: x`. */
export function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
  }
}

export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${describe(value)}`, name);
  return value;
}

export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

function integerOf(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^-?\d{1,15}$/.test(value)) throw invalidRequest(`Invalid integer: ${describe(value)}`, name);
  return Number(value);
}

export function optionalInteger(params: Params, name: string, min?: number): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const integer = integerOf(value, name);
  if (min !== undefined && integer < min) throw invalidRequest(`This value must be greater than or equal to ${min}.`, name);
  return integer;
}

export function requiredInteger(params: Params, name: string, min?: number): number {
  if (params[name] === undefined) throw missingParameter(name);
  return optionalInteger(params, name, min)!;
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${describe(value)}`, name);
}

export function optionalEnum<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    const choices = values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}` : values.join('');
    throw invalidRequest(`Invalid ${name}: must be one of ${choices}`, name);
  }
  return value as T;
}

/** A lower-case ISO currency code; Stripe answers `Invalid currency` for anything else. */
export function requiredCurrency(params: Params, name = 'currency'): string {
  const value = requiredString(params, name).toLowerCase();
  if (!/^[a-z]{3}$/.test(value)) throw invalidRequest(`Invalid currency: ${value}.`, name);
  return value;
}

/** `metadata[key]=value`, merged into what the object has; an empty value removes the key. */
export function mergeMetadata(params: Params, current: Record<string, string> = {}): Record<string, string> {
  const value = params.metadata;
  if (value === undefined || value === '') return value === '' ? {} : { ...current };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('Invalid hash', 'metadata');
  const merged = { ...current };
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw invalidRequest('Invalid hash', `metadata[${key}]`);
    if (key.length > 40) throw invalidRequest('Metadata keys can have up to 40 characters.', `metadata[${key}]`);
    if (entry.length > 500) throw invalidRequest('Metadata values can have up to 500 characters.', `metadata[${key}]`);
    if (entry === '') delete merged[key];
    else merged[key] = entry;
  }
  if (Object.keys(merged).length > 50) throw invalidRequest('You can have up to 50 metadata keys.', 'metadata');
  return merged;
}

/** `expand[]` as a list: the form encoding gives an array, an object with index keys, or one string. */
export function expandPaths(params: Params): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list =
    typeof value === 'string' ? [value] : Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value as object) : [];
  if (!list.every((entry): entry is string => typeof entry === 'string')) throw invalidRequest('Invalid array', 'expand');
  return list;
}

/** A range filter such as `created[gte]=…`, or an exact time `created=…`. */
export function optionalRange(params: Params, name: string): RangeFilter | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const exact = integerOf(value, name);
    return { gte: exact, lte: exact };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('Invalid hash', name);
  const range: RangeFilter = {};
  for (const [key, bound] of Object.entries(value)) {
    if (key !== 'gt' && key !== 'gte' && key !== 'lt' && key !== 'lte')
      throw invalidRequest(`Received unknown parameter: ${name}[${key}]`, `${name}[${key}]`);
    range[key] = integerOf(bound, `${name}[${key}]`);
  }
  return range;
}

/** Whether a Unix time falls in a range filter. */
export function inRange(time: number, range: RangeFilter | undefined): boolean {
  if (range === undefined) return true;
  return (
    (range.gt === undefined || time > range.gt) &&
    (range.gte === undefined || time >= range.gte) &&
    (range.lt === undefined || time < range.lt) &&
    (range.lte === undefined || time <= range.lte)
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
