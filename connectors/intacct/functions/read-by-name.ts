import { element, optional, type XmlElement } from '../xml-writer.js';

/** `readByName`: records by the object's ID field (CUSTOMERID, ITEMID, DOCID, …), up to 100 keys. */
export function readByName(input: {
  readonly object: string;
  readonly keys: readonly string[];
  readonly fields?: readonly string[];
  readonly docparid?: string;
}): XmlElement {
  if (input.keys.length === 0 || input.keys.length > 100) throw new RangeError(`readByName takes 1–100 keys, got ${input.keys.length}`);
  const commaKey = input.keys.find((key) => key.includes(','));
  if (commaKey !== undefined) throw new RangeError(`readByName keys are comma-separated; ${JSON.stringify(commaKey)} cannot be sent`);
  return element('readByName', [
    element('object', input.object),
    element('keys', input.keys.join(',')),
    element('fields', input.fields?.join(',') ?? '*'),
    ...optional('docparid', input.docparid),
  ]);
}
