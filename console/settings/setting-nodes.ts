import type { z } from 'zod';

/**
 * The shape of a settings schema as form fields see it, read from the zod schema itself so a
 * setting added to the schema appears in the console without anyone writing HTML for it. Pure:
 * no Express, no database.
 */

interface NodeBase {
  /** The key in its parent object (`triggerStatuses`). */
  key: string;
  label: string;
  /** The schema's own description (`.describe()` or `.meta({ description })`), when it has one. */
  description?: string;
  /** Absent is a valid value: the key may be left out (`.optional()`). */
  optional: boolean;
  /** Neither optional nor defaulted: the setting must be given. */
  required: boolean;
  /** What the schema fills in when the key is left out. */
  defaultValue?: unknown;
}

/** One setting or group of settings, by the kind of form control that edits it. */
export type SettingNode =
  | (NodeBase & { kind: 'text'; format: 'text' | 'url' })
  | (NodeBase & { kind: 'number'; integer: boolean })
  | (NodeBase & { kind: 'boolean' })
  | (NodeBase & { kind: 'enum'; options: readonly string[] })
  /** A list of words (statuses, warehouse ids, SKUs), edited one per line. */
  | (NodeBase & { kind: 'list'; numbers: boolean })
  | (NodeBase & { kind: 'group'; children: SettingNode[] })
  /** A discriminated union: a choice (`kind`) and the settings of the chosen variant. */
  | (NodeBase & { kind: 'variants'; discriminator: string; variants: Array<{ value: string; children: SettingNode[] }> })
  /** A list of objects (dimension rules, payment methods), edited as a table of rows. */
  | (NodeBase & { kind: 'rows'; item: SettingNode[] })
  /** Anything no other control edits (a list of variants, say): its JSON in a text area, validated by the schema. */
  | (NodeBase & { kind: 'json' });

/** A setting of a kind the form builder does not know: caught by the test that walks the real schema. */
export class UnsupportedSettingError extends Error {
  override readonly name = 'UnsupportedSettingError';
}

const acronyms: Record<string, string> = { api: 'API', url: 'URL', gl: 'GL', id: 'ID', ids: 'IDs', sku: 'SKU', skus: 'SKUs', upc: 'UPC' };

/** `apiBaseUrl` → "API base URL": a label from a settings key. */
export function labelFromKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter((word) => word !== '')
    .map((word) => acronyms[word.toLowerCase()] ?? word.toLowerCase());
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      innerType?: z.ZodType;
      defaultValue?: unknown;
      shape?: Record<string, z.ZodType>;
      options?: z.ZodType[];
      discriminator?: string;
      element?: z.ZodType;
      entries?: Record<string, string>;
      values?: unknown[];
      format?: string;
    };
    bag?: { format?: string };
  };
  description?: string;
}

const internals = (schema: z.ZodType) => schema as unknown as ZodInternals;

/** The schema under optional/default/prefault wrappers, and what the wrappers say. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; hasDefault: boolean; defaultValue?: unknown } {
  let current = schema;
  let optional = false;
  let hasDefault = false;
  let defaultValue: unknown;
  for (;;) {
    const def = internals(current)._zod.def;
    if (def.type === 'optional') optional = true;
    else if (def.type === 'default' || def.type === 'prefault') {
      if (!hasDefault) defaultValue = def.defaultValue;
      hasDefault = true;
    } else return { inner: current, optional, hasDefault, ...(hasDefault && { defaultValue }) };
    current = def.innerType!;
  }
}

/** The nodes of an object schema's keys, in the schema's order. */
export function objectNodes(schema: z.ZodType, path: readonly string[] = []): SettingNode[] {
  const def = internals(unwrap(schema).inner)._zod.def;
  if (def.type !== 'object' || def.shape === undefined)
    throw new UnsupportedSettingError(`${path.join('.') || 'the schema'} is not an object`);
  return Object.entries(def.shape).map(([key, child]) => settingNode(key, child, [...path, key]));
}

/** The node of one key's schema; throws {@link UnsupportedSettingError} for a kind no form control edits. */
export function settingNode(key: string, schema: z.ZodType, path: readonly string[]): SettingNode {
  const { inner, optional, hasDefault, defaultValue } = unwrap(schema);
  const { def, bag } = internals(inner)._zod;
  // zod keeps a string's format in the bag and an integer's on the definition.
  const format = def.format ?? bag?.format;
  const description = internals(schema).description ?? internals(inner).description;
  const base: NodeBase = {
    key,
    label: labelFromKey(key),
    ...(description !== undefined && { description }),
    optional,
    required: !optional && !hasDefault,
    ...(hasDefault && { defaultValue }),
  };
  switch (def.type) {
    case 'string':
      return { ...base, kind: 'text', format: format === 'url' ? 'url' : 'text' };
    case 'number':
      return { ...base, kind: 'number', integer: format === 'safeint' || format === 'int32' };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'enum':
      return { ...base, kind: 'enum', options: Object.values(def.entries ?? {}) };
    case 'literal':
      return { ...base, kind: 'enum', options: (def.values ?? []).map(String) };
    case 'object':
      return { ...base, kind: 'group', children: objectNodes(inner, path) };
    case 'array': {
      const element = unwrap(def.element!).inner;
      const elementType = internals(element)._zod.def.type;
      if (elementType === 'string' || elementType === 'number') return { ...base, kind: 'list', numbers: elementType === 'number' };
      if (elementType === 'object') return { ...base, kind: 'rows', item: objectNodes(element, [...path, '[]']) };
      break;
    }
    case 'union':
      if (def.discriminator !== undefined) return { ...base, kind: 'variants', ...variantsOf(def.discriminator, def.options ?? [], path) };
      break;
  }
  return { ...base, kind: 'json' };
}

function variantsOf(discriminator: string, options: readonly z.ZodType[], path: readonly string[]) {
  const variants = options.map((option) => {
    const children = objectNodes(option, path);
    const choice = children.find((child) => child.key === discriminator);
    if (choice?.kind !== 'enum' || choice.options.length !== 1)
      throw new UnsupportedSettingError(`a variant of ${path.join('.')} has no single ${discriminator} value`);
    return { value: choice.options[0]!, children: children.filter((child) => child !== choice) };
  });
  return { discriminator, variants };
}
