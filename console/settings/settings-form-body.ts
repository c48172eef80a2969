import { parseTenantSettings, type SettingsError, type TenantSettings } from '../../store/schemas/settings.js';
import type { SettingNode } from './setting-nodes.js';
import { fieldName, sectionNodes } from './settings-fields.js';

/**
 * A posted settings form read back into settings. The form's names are the fields' names
 * (./settings-fields.ts); the result is validated by the same function as the settings API, so
 * the console has no rule of its own.
 */

/** A urlencoded body as Express gives it (`extended: false`), or as pairs in posted order. */
export type FormBody = Readonly<Record<string, string | string[] | undefined>> | Iterable<readonly [string, string]>;

/** The name under which a row is marked for removal (`orderSync.dimensionRules[2].$remove`). */
export const removeRowKey = '$remove';

/** The outcome of {@link settingsFromForm}: the settings, or what was posted and every problem with it. */
export type SettingsFormResult =
  | { ok: true; settings: TenantSettings }
  | {
      ok: false;
      errors: SettingsError[];
      /** The posted values over the current settings, to show the form again. */ input: Record<string, unknown>;
    };

type PostedValues = ReadonlyMap<string, readonly string[]>;

/** The object a posted form gives for these nodes (keys left empty are absent); not validated. */
export function readFormObject(nodes: readonly SettingNode[], body: FormBody): Record<string, unknown> {
  return readChildren(nodes, [], postedValues(body));
}

function postedValues(body: FormBody): PostedValues {
  const values = new Map<string, string[]>();
  const add = (name: string, value: string) => values.set(name, [...(values.get(name) ?? []), value]);
  if (Symbol.iterator in body) for (const [name, value] of body as Iterable<readonly [string, string]>) add(name, value);
  else
    for (const [name, value] of Object.entries(body as Record<string, string | string[] | undefined>))
      for (const item of value === undefined ? [] : Array.isArray(value) ? value : [value]) add(name, item);
  return values;
}

/**
 * Replaces one section of `current` with the posted form and validates the whole. Fields left
 * empty are absent (so defaults apply and required ones are reported); lists are one word a
 * line; blank and removed rows are dropped; a checkbox posts a hidden `false` before its `true`,
 * so the last value wins.
 */
export function settingsFromForm(sectionId: string, body: FormBody, current: TenantSettings): SettingsFormResult {
  const posted = postedValues(body);
  const input: Record<string, unknown> = { ...current };
  for (const node of sectionNodes(sectionId)) {
    const value = readNode(node, [node.key], posted);
    if (value === undefined) delete input[node.key];
    else input[node.key] = value;
  }
  const parsed = parseTenantSettings(input);
  return parsed.ok ? { ok: true, settings: parsed.settings } : { ok: false, errors: parsed.errors, input };
}

/** The sections a form may name; anything else is refused before reading the body. */
export function isSettingsSection(sectionId: string): boolean {
  try {
    sectionNodes(sectionId);
    return true;
  } catch {
    return false;
  }
}

/** A number as typed; anything else is passed on as text so the schema's own message ("must be a whole number") is shown. */
const numberOrText = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

const lastOf = (posted: PostedValues, name: string) => posted.get(name)?.at(-1);

function readNode(node: SettingNode, path: ReadonlyArray<string | number>, posted: PostedValues): unknown {
  const name = fieldName(path);
  switch (node.kind) {
    case 'text':
    case 'enum': {
      const text = lastOf(posted, name);
      return text === undefined || text.trim() === '' ? undefined : text;
    }
    case 'number': {
      const text = lastOf(posted, name)?.trim();
      return text === undefined || text === '' ? undefined : numberOrText(text);
    }
    case 'boolean': {
      const text = lastOf(posted, name);
      return text === undefined ? undefined : text === 'true' || text === 'on';
    }
    case 'list':
      return (posted.get(`${name}[]`) ?? [])
        .flatMap((text) => text.split(/\r\n|\r|\n/))
        .map((word) => word.trim())
        .filter((word) => word !== '')
        .map((word) => (node.numbers ? numberOrText(word) : word));
    case 'json': {
      const text = lastOf(posted, name)?.trim();
      if (text === undefined || text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    case 'group':
      return readGroup(node, path, posted);
    case 'variants': {
      const chosen = lastOf(posted, fieldName([...path, node.discriminator]));
      if (chosen === undefined || chosen === '') return undefined;
      const variant = node.variants.find((candidate) => candidate.value === chosen);
      // An unknown choice is passed on so that the schema names the choices it accepts.
      return { [node.discriminator]: chosen, ...(variant && readChildren(variant.children, path, posted)) };
    }
    case 'rows':
      return rowIndexes(name, posted)
        .filter((index) => lastOf(posted, `${fieldName([...path, index])}.${removeRowKey}`) !== 'true')
        .map((index) => readChildren(node.item, [...path, index], posted))
        .filter((row) => !node.item.every((child) => isBlank(child, row[child.key])));
  }
}

function readGroup(node: SettingNode & { kind: 'group' }, path: ReadonlyArray<string | number>, posted: PostedValues): unknown {
  const group = readChildren(node.children, path, posted);
  if (node.optional && node.children.every((child) => isBlank(child, group[child.key]))) return undefined;
  return group;
}

function readChildren(children: readonly SettingNode[], path: ReadonlyArray<string | number>, posted: PostedValues) {
  const object: Record<string, unknown> = {};
  for (const child of children) {
    const value = readNode(child, [...path, child.key], posted);
    if (value !== undefined) object[child.key] = value;
  }
  return object;
}

/** The row indexes named in the form under a rows field, in order. */
function rowIndexes(name: string, posted: PostedValues): number[] {
  const indexes = new Set<number>();
  const prefix = `${name}[`;
  for (const key of posted.keys()) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d+)\]/.exec(key.slice(prefix.length));
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((left, right) => left - right);
}

/** Left as the form offers it: empty, or still the value the setting would take by default. */
function isBlank(node: SettingNode, value: unknown): boolean {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return true;
  if (node.kind === 'group') return node.children.every((child) => isBlank(child, (value as Record<string, unknown>)[child.key]));
  return 'defaultValue' in node && JSON.stringify(node.defaultValue) === JSON.stringify(value);
}
