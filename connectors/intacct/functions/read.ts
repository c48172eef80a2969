import { element, optional, type XmlElement } from '../xml-writer.js';

/** `read`: records by RECORDNO (up to 100 keys), all fields unless `fields` is given. */
export function read(input: {
  readonly object: string;
  readonly keys: readonly string[];
  readonly fields?: readonly string[];
  readonly docparid?: string;
}): XmlElement {
  if (input.keys.length === 0 || input.keys.length > 100) throw new RangeError(`read takes 1–100 keys, got ${input.keys.length}`);
  return element('read', [
    element('object', input.object),
    element('keys', input.keys.join(',')),
    element('fields', input.fields?.join(',') ?? '*'),
    ...optional('docparid', input.docparid),
  ]);
}
