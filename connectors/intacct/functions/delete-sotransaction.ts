import { element, type XmlElement } from '../xml-writer.js';

/** `delete_sotransaction`: removes a sales document by DOCID (a compensation). */
export function deleteSotransaction(input: { readonly documentId: string }): XmlElement {
  return element('delete_sotransaction', [], { key: input.documentId });
}
