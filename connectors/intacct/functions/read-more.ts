import { element, type XmlElement } from '../xml-writer.js';

/** `readMore`: the next page of a `readByQuery`, by its `resultId`. */
export function readMore(input: { readonly resultId: string }): XmlElement {
  return element('readMore', [element('resultId', input.resultId)]);
}
