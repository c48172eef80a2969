import type { SandboxError } from './error-catalogue.js';
import type { GatewayOutcome } from './gateway-state.js';
import { child, childText, type XmlNode } from './xml-tree.js';
import { el, renderOut, type OutElement } from './xml-output.js';

/* The gateway's response envelope: the control echo, error messages and whole-request failures. */

const xmlContentType = 'text/xml; charset=UTF-8';

/** Control echo of a request, as far as it could be read. */
export interface ControlEcho {
  readonly senderId: string;
  readonly password: string;
  readonly controlId: string;
  readonly uniqueId: string;
  readonly dtdVersion: string;
}

/** The `<control>` block of a response, echoing the request. */
export function controlElement(status: 'success' | 'failure', echo: ControlEcho): OutElement {
  return el('control', [
    el('status', status),
    el('senderid', echo.senderId),
    el('controlid', echo.controlId),
    el('uniqueid', echo.uniqueId || 'false'),
    el('dtdversion', echo.dtdVersion || '3.0'),
  ]);
}

/** An `<errormessage>` block listing the errors. */
export function errorMessage(errors: readonly SandboxError[]): OutElement {
  return el(
    'errormessage',
    errors.map((error) =>
      el('error', [
        el('errorno', error.errorno),
        el('description', error.description),
        el('description2', error.description2),
        el('correction', error.correction),
      ]),
    ),
  );
}

/** An XML response with the given body. */
export function respond(body: OutElement, status = 200, extra: { retryAfterSeconds?: number } = {}): GatewayOutcome {
  return { kind: 'respond', status, contentType: xmlContentType, body: renderOut(body, true), delayMs: 0, ...extra };
}

/** A response whose whole request failed at the control level. */
export function controlFailure(
  echo: ControlEcho,
  errors: readonly SandboxError[],
  status = 200,
  extra: { retryAfterSeconds?: number } = {},
): GatewayOutcome {
  return respond(el('response', [controlElement('failure', echo), errorMessage(errors)]), status, extra);
}

/** A timestamp as the gateway writes it, with a `+00:00` offset. */
export function isoWithOffset(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Reads the control echo of a request (empty values when it could not be read). */
export function readEcho(root: XmlNode | undefined): ControlEcho {
  const control = child(root, 'control');
  return {
    senderId: childText(control, 'senderid') ?? '',
    password: childText(control, 'password') ?? '',
    controlId: childText(control, 'controlid') ?? '',
    uniqueId: (childText(control, 'uniqueid') ?? '').trim(),
    dtdVersion: (childText(control, 'dtdversion') ?? '').trim(),
  };
}
