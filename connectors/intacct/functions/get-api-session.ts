import { element, optional, type XmlElement } from '../xml-writer.js';

/** `getAPISession`: a session for the login's company, or for one entity of it. */
export function getApiSession(input: { readonly entityId?: string } = {}): XmlElement {
  return element('getAPISession', optional('locationid', input.entityId));
}
