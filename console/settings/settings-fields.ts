import { tenantSettingsSchema, type SettingsError } from '../../store/schemas/settings.js';
import { labelFromKey, objectNodes, type SettingNode } from './setting-nodes.js';

/**
 * Form fields for the tenant settings, built from the schema that validates the settings API
 * and bound to a value (the stored settings, or what was just posted) and its validation
 * messages. The HTML is in ./settings-form-html.ts; reading a posted form back is in
 * ./settings-form-body.ts.
 */

interface FieldBase {
  /** The setting's dotted path as validation messages name it (`orderSync.dimensionRules.0.value`). */
  path: string;
  /** The form control's name (`orderSync.dimensionRules[0].value`). */
  name: string;
  label: string;
  description?: string;
  required: boolean;
  /** Validation messages for this setting (or, for a group, for the group as a whole). */
  errors: string[];
}

/** One bound form field. Values are as the form shows them: text, or words one per line. */
export type SettingsField =
  | (FieldBase & { kind: 'text'; format: 'text' | 'url'; value: string })
  | (FieldBase & { kind: 'number'; integer: boolean; value: string })
  | (FieldBase & { kind: 'boolean'; value: boolean })
  | (FieldBase & { kind: 'enum'; options: readonly string[]; allowEmpty: boolean; value: string })
  | (FieldBase & { kind: 'list'; value: string[] })
  | (FieldBase & { kind: 'json'; value: string })
  | (FieldBase & { kind: 'group'; optional: boolean; fields: SettingsField[] })
  | (FieldBase & {
      kind: 'variants';
      /** The choice between variants (a select). */
      choice: SettingsField & { kind: 'enum' };
      /** Each variant's own settings; a name shared by two variants is shown once, in the first. */
      variants: Array<{ value: string; fields: SettingsField[] }>;
    })
  | (FieldBase & {
      kind: 'rows';
      /** The existing rows, then one blank row to add another. */
      rows: Array<{ name: string; fields: SettingsField[]; blank: boolean }>;
      /** The column headings: the item's settings. */
      columns: Array<{ key: string; label: string }>;
    });

/** One form of the settings page: a top-level group, or "general" for the top-level single settings. */
export interface SettingsSection {
  id: string;
  label: string;
  fields: SettingsField[];
  /** Messages that no field of this section claims. */
  errors: string[];
}

/** The id of the section holding the top-level settings that are not groups (the time zone). */
export const generalSectionId = 'general';

/** The settings schema's nodes, read once. */
export const settingsNodes: readonly SettingNode[] = objectNodes(tenantSettingsSchema);

/** The sections of the settings page, in the schema's order (general first). */
export function settingsSectionIds(): string[] {
  const groups = settingsNodes.filter((node) => node.kind === 'group').map((node) => node.key);
  return settingsNodes.some((node) => node.kind !== 'group') ? [generalSectionId, ...groups] : groups;
}

/** The nodes a section edits, keyed from the top of the settings. */
export function sectionNodes(sectionId: string): SettingNode[] {
  if (sectionId === generalSectionId) return settingsNodes.filter((node) => node.kind !== 'group');
  const node = settingsNodes.find((candidate) => candidate.key === sectionId && candidate.kind === 'group');
  if (node === undefined) throw new RangeError(`there is no settings section ${sectionId}`);
  return [node];
}

/**
 * A section's fields bound to `value` (settings, or the input just posted) and to the messages
 * of a failed validation. Each message goes to the field whose path is the longest prefix of
 * its own, so a row's message lands on that row's cell and a group's on the group.
 */
export function settingsSection(sectionId: string, value: unknown, errors: readonly SettingsError[] = []): SettingsSection {
  const bound = formFields(sectionNodes(sectionId), value, errors);
  const label = sectionId === generalSectionId ? 'General' : labelFromKey(sectionId);
  if (sectionId === generalSectionId) return { id: sectionId, label, ...bound };
  // A group section is shown as its children: the group's own messages become the section's.
  const group = bound.fields[0] as SettingsField & { kind: 'group' };
  return { id: sectionId, label, fields: group.fields, errors: [...bound.errors, ...group.errors] };
}

/**
 * Fields for the keys of an object schema (its {@link SettingNode}s), bound to `value` and to
 * `errors`; the messages no field claims are returned apart. Used for settings sections, and
 * for any other form built from a zod object (mapping rows, credentials).
 */
export function formFields(
  nodes: readonly SettingNode[],
  value: unknown,
  errors: readonly SettingsError[] = [],
): { fields: SettingsField[]; errors: string[] } {
  const fields = nodes.map((node) => bindField(node, [node.key], record(value)[node.key]));
  const byPath = new Map<string, string[]>();
  for (const field of fields) collectPaths(field, byPath);
  const unclaimed: string[] = [];
  for (const error of errors) {
    const target = claimingPath(error.path, byPath);
    if (target === undefined) unclaimed.push(error.message);
    else byPath.get(target)!.push(error.message);
  }
  return { fields, errors: unclaimed };
}

function collectPaths(field: SettingsField, byPath: Map<string, string[]>): void {
  byPath.set(field.path, field.errors);
  if (field.kind === 'group') field.fields.forEach((child) => collectPaths(child, byPath));
  if (field.kind === 'variants') {
    byPath.set(field.choice.path, field.choice.errors);
    field.variants.forEach((variant) => variant.fields.forEach((child) => collectPaths(child, byPath)));
  }
  if (field.kind === 'rows') field.rows.forEach((row) => row.fields.forEach((child) => collectPaths(child, byPath)));
}

function claimingPath(path: string, byPath: ReadonlyMap<string, unknown>): string | undefined {
  const segments = path.split('.');
  for (let length = segments.length; length > 0; length--) {
    const candidate = segments.slice(0, length).join('.');
    if (byPath.has(candidate)) return candidate;
  }
  return undefined;
}

/** `['orderSync', 'dimensionRules', 0, 'value']` → `orderSync.dimensionRules[0].value`. */
export function fieldName(path: ReadonlyArray<string | number>): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function bindField(node: SettingNode, path: ReadonlyArray<string | number>, given: unknown): SettingsField {
  // An unset setting shows the value it would take (a new row, a variant not chosen yet).
  const value = given === undefined ? node.defaultValue : given;
  const base = {
    path: path.join('.'),
    name: fieldName(path),
    label: node.label,
    ...(node.description !== undefined && { description: node.description }),
    required: node.required,
    errors: [],
  };
  switch (node.kind) {
    case 'text':
      return { ...base, kind: 'text', format: node.format, value: asText(value) };
    case 'number':
      return { ...base, kind: 'number', integer: node.integer, value: asText(value) };
    case 'boolean':
      return { ...base, kind: 'boolean', value: value === true };
    case 'enum':
      return { ...base, kind: 'enum', options: node.options, allowEmpty: !('defaultValue' in node), value: asText(value) };
    case 'list':
      return { ...base, kind: 'list', value: Array.isArray(value) ? value.map(asText) : [] };
    case 'json':
      return {
        ...base,
        kind: 'json',
        value: value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2),
      };
    case 'group':
      return {
        ...base,
        kind: 'group',
        optional: node.optional,
        fields: node.children.map((child) => bindField(child, [...path, child.key], record(value)[child.key])),
      };
    case 'variants':
      return bindVariants(node, base, path, value);
    case 'rows': {
      const items: unknown[] = Array.isArray(value) ? value : [];
      const rows = [...items, undefined].map((item, index) => ({
        name: fieldName([...path, index]),
        fields: node.item.map((child) => bindField(child, [...path, index, child.key], record(item)[child.key])),
        blank: index === items.length,
      }));
      return { ...base, kind: 'rows', rows, columns: node.item.map((child) => ({ key: child.key, label: child.label })) };
    }
  }
}

function bindVariants(
  node: SettingNode & { kind: 'variants' },
  base: Omit<FieldBase, 'label'> & { label: string },
  path: ReadonlyArray<string | number>,
  value: unknown,
): SettingsField {
  const chosen = record(value)[node.discriminator] ?? record(node.defaultValue)[node.discriminator];
  const choicePath = [...path, node.discriminator];
  const choice = {
    path: choicePath.join('.'),
    name: fieldName(choicePath),
    label: `${node.label}: ${labelFromKey(node.discriminator).toLowerCase()}`,
    required: node.required,
    errors: [],
    kind: 'enum' as const,
    options: node.variants.map((variant) => variant.value),
    allowEmpty: node.optional,
    value: asText(chosen),
  };
  const shown = new Set<string>();
  const variants = node.variants.map((variant) => ({
    value: variant.value,
    fields: variant.children
      .filter((child) => !shown.has(child.key) && shown.add(child.key))
      // Only the chosen variant's values are the setting's; the others show their defaults.
      .map((child) => bindField(child, [...path, child.key], chosen === variant.value ? record(value)[child.key] : undefined)),
  }));
  return { ...base, kind: 'variants', choice, variants };
}
