import type { Row } from './store.js';
import { el, type OutElement } from './xml-output.js';

/** Fields every read returns when `*` is asked: all stored fields except internal ones. */
export function allFields(row: Row): string[] {
  return Object.keys(row).filter((field) => !field.startsWith('_'));
}

/**
 * A record element; dotted fields (`DISPLAYCONTACT.EMAIL1`) nest as the gateway nests
 * them, and an absent value is an empty element.
 */
export function recordElement(name: string, row: Row, fields: readonly string[]): OutElement {
  type Tree = Map<string, Tree | string>;
  const tree: Tree = new Map();
  for (const field of fields) {
    const parts = field.split('.');
    let level = tree;
    for (const part of parts.slice(0, -1)) {
      const next = level.get(part);
      if (next instanceof Map) level = next;
      else {
        const created: Tree = new Map();
        level.set(part, created);
        level = created;
      }
    }
    level.set(parts[parts.length - 1]!, row[field] ?? '');
  }
  const render = (level: Tree): OutElement[] =>
    [...level].map(([key, value]) => (typeof value === 'string' ? el(key, value === '' ? [] : value) : el(key, render(value))));
  return el(name, render(tree));
}
