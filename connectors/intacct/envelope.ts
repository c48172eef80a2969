import { element, optional, renderXml, type XmlElement } from './xml-writer.js';

/** Web Services sender credentials: sent in `<control>` of every request. */
export interface IntacctSender {
  readonly senderId: string;
  readonly senderPassword: string;
}

/** User login of one company (and optionally one entity). */
export interface IntacctLogin {
  readonly userId: string;
  readonly companyId: string;
  readonly userPassword: string;
  readonly entityId?: string;
}

/** How the operation authenticates: a login (for `getAPISession`) or a session id. */
export type IntacctAuthentication = { readonly login: IntacctLogin } | { readonly sessionId: string };

/** One `<function controlid=…>` with its single function element. */
export interface IntacctFunctionCall {
  readonly controlId: string;
  /** The function element, e.g. `<readByQuery>…</readByQuery>`, from one of the builders in `functions/`. */
  readonly body: XmlElement;
}

/** Everything one request needs. */
export interface IntacctRequestEnvelope {
  readonly sender: IntacctSender;
  readonly controlId: string;
  /** Send true for writes: the gateway then refuses a function control id that already succeeded. */
  readonly uniqueId: boolean;
  /** All functions commit or none. */
  readonly transaction: boolean;
  readonly authentication: IntacctAuthentication;
  readonly functions: readonly IntacctFunctionCall[];
}

/** Longest function control id the schema accepts. */
export const maxControlIdLength = 256;

/**
 * Builds the request document in the order the gateway's schema enforces:
 * control (senderid, password, controlid, uniqueid, dtdversion, includewhitespace), then
 * operation (authentication, content).
 */
export function buildRequestXml(envelope: IntacctRequestEnvelope): string {
  if (envelope.functions.length === 0) throw new Error('An Intacct request needs at least one function');
  for (const call of [{ controlId: envelope.controlId }, ...envelope.functions]) {
    if (call.controlId.length === 0 || call.controlId.length > maxControlIdLength) {
      throw new Error(`Intacct control ids are 1–${maxControlIdLength} characters; got ${call.controlId.length}`);
    }
  }
  const request = element('request', [
    element('control', [
      element('senderid', envelope.sender.senderId),
      element('password', envelope.sender.senderPassword),
      element('controlid', envelope.controlId),
      element('uniqueid', envelope.uniqueId ? 'true' : 'false'),
      element('dtdversion', '3.0'),
      element('includewhitespace', 'false'),
    ]),
    element(
      'operation',
      [
        element('authentication', [authenticationElement(envelope.authentication)]),
        element(
          'content',
          envelope.functions.map((call) => element('function', [call.body], { controlid: call.controlId })),
        ),
      ],
      { transaction: envelope.transaction ? 'true' : 'false' },
    ),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>${renderXml(request)}`;
}

function authenticationElement(authentication: IntacctAuthentication): XmlElement {
  if ('sessionId' in authentication) return element('sessionid', authentication.sessionId);
  const { login } = authentication;
  return element('login', [
    element('userid', login.userId),
    element('companyid', login.companyId),
    element('password', login.userPassword),
    ...optional('locationid', login.entityId),
  ]);
}
