import { element, type XmlElement } from '../xml-writer.js';

/** Generic `delete`: records of one object by RECORDNO. */
export function deleteRecords(input: { readonly object: string; readonly keys: readonly string[] }): XmlElement {
  if (input.keys.length === 0 || input.keys.length > 100) throw new RangeError(`delete takes 1–100 keys, got ${input.keys.length}`);
  return element('delete', [element('object', input.object), element('keys', input.keys.join(','))]);
}
