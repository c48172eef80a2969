import type { Logger } from 'pino';
import type { ErrorCatalogue } from './error-catalogue.js';
import { FunctionFailure, type SandboxError } from './error-catalogue.js';
import type { FaultInjector, FaultRule } from './faults.js';
import type { FunctionContext } from './handlers/context.js';
import { functionHandlers } from './handlers/index.js';
import type { ResolvedSandboxOptions } from './options.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import type { ResultCursors } from './result-cursors.js';
import type { SchemaValidator } from './schema-validator.js';
import { demoCredentials, type IntacctSandboxSeed, type SandboxSender, type SandboxUser } from './seed.js';
import type { SandboxSession, SessionRegistry } from './sessions.js';
import type { CompanyStore } from './store.js';
import { child, childText, childrenNamed, parseXmlTree, XmlSyntaxError, type XmlNode } from './xml-tree.js';
import { el, renderOut, type OutElement } from './xml-output.js';

/** What the HTTP layer does with a gateway request. */
export type GatewayOutcome =
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
      readonly retryAfterSeconds?: number;
      readonly delayMs: number;
    }
  | { readonly kind: 'drop'; readonly afterMs: number };

/** Everything the gateway works with; the server owns it and the control endpoints change it. */
export interface GatewayState {
  readonly options: ResolvedSandboxOptions;
  readonly errors: ErrorCatalogue;
  store: CompanyStore;
  seed: IntacctSandboxSeed;
  readonly senders: readonly SandboxSender[];
  readonly users: readonly SandboxUser[];
  readonly sessions: SessionRegistry;
  readonly cursors: ResultCursors;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly validator: SchemaValidator | undefined;
  readonly inFlight: Map<string, number>;
  readonly rateWindows: Map<string, { start: number; count: number }>;
  readonly logger: Logger | undefined;
  /** Base URL of the gateway, for `getAPISession`'s endpoint. */
  publicUrl: string;
}

const xmlContentType = 'text/xml; charset=UTF-8';

/** Control echo of a request, as far as it could be read. */
interface ControlEcho {
  readonly senderId: string;
  readonly password: string;
  readonly controlId: string;
  readonly uniqueId: string;
  readonly dtdVersion: string;
}

function controlElement(status: 'success' | 'failure', echo: ControlEcho): OutElement {
  return el('control', [
    el('status', status),
    el('senderid', echo.senderId),
    el('controlid', echo.controlId),
    el('uniqueid', echo.uniqueId || 'false'),
    el('dtdversion', echo.dtdVersion || '3.0'),
  ]);
}

function errorMessage(errors: readonly SandboxError[]): OutElement {
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

function respond(body: OutElement, status = 200, extra: { retryAfterSeconds?: number } = {}): GatewayOutcome {
  return { kind: 'respond', status, contentType: xmlContentType, body: renderOut(body, true), delayMs: 0, ...extra };
}

function controlFailure(
  echo: ControlEcho,
  errors: readonly SandboxError[],
  status = 200,
  extra: { retryAfterSeconds?: number } = {},
): GatewayOutcome {
  return respond(el('response', [controlElement('failure', echo), errorMessage(errors)]), status, extra);
}

function isoWithOffset(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function readEcho(root: XmlNode | undefined): ControlEcho {
  const control = child(root, 'control');
  return {
    senderId: childText(control, 'senderid') ?? '',
    password: childText(control, 'password') ?? '',
    controlId: childText(control, 'controlid') ?? '',
    uniqueId: (childText(control, 'uniqueid') ?? '').trim(),
    dtdVersion: (childText(control, 'dtdversion') ?? '').trim(),
  };
}

function functionNamesOf(root: XmlNode): string[] {
  return childrenNamed(root, 'operation').flatMap((operation) =>
    childrenNamed(operation, 'content').flatMap((content) => childrenNamed(content, 'function').map((fn) => fn.children[0]?.name ?? '')),
  );
}

/** The company a request is for, before it is authenticated (for concurrency and rate limits). */
function companyOf(root: XmlNode, state: GatewayState): string | undefined {
  const authentication = child(child(root, 'operation'), 'authentication');
  const login = child(authentication, 'login');
  if (login) return childText(login, 'companyid');
  const sessionId = childText(authentication, 'sessionid');
  return sessionId === undefined ? undefined : state.sessions.find(sessionId.trim())?.companyId;
}

const html5xx = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} Service Temporarily Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>`;
const cloudflare524 =
  '<!DOCTYPE html>\n<html lang="en-US"><head><title>api.intacct.com | 524: A timeout occurred</title></head><body><div id="cf-wrapper"><div id="cf-error-details"><h1>A timeout occurred</h1><span>Error code 524</span><p>The origin web server timed out responding to this request.</p></div></div></body></html>';

/**
 * Runs one gateway request the way the real XML gateway does: parse, schema, sender,
 * authentication, then each function in order (all-or-nothing with `transaction="true"`),
 * with `uniqueid` replay protection, limits and injected faults.
 */
export async function handleGatewayRequest(body: string, state: GatewayState): Promise<GatewayOutcome> {
  const entry: { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] } = {
    at: new Date(state.options.now()).toISOString(),
    httpStatus: 200,
    companyId: undefined,
    senderId: undefined,
    controlId: undefined,
    uniqueId: false,
    transaction: false,
    functions: [],
    fault: undefined,
    schemaErrors: [],
  };
  const outcome = await processRequest(body, state, entry);
  entry.httpStatus = outcome.kind === 'respond' ? outcome.status : 0;
  state.log.add(entry);
  return outcome;
}

async function processRequest(
  body: string,
  state: GatewayState,
  entry: { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] },
): Promise<GatewayOutcome> {
  const { errors } = state;
  let root: XmlNode;
  try {
    root = parseXmlTree(body);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    const where = error.line === undefined ? '' : ` Line: ${error.line}, column: ${error.column ?? 0}.`;
    return controlFailure(readEcho(undefined), [
      errors.error('xmlParse', `XML Parse schema error: Fatal Error: ${error.message}.${where}`),
    ]);
  }
  const echo = readEcho(root);
  entry.senderId = echo.senderId;
  entry.controlId = echo.controlId;
  entry.uniqueId = echo.uniqueId === 'true';
  if (root.name !== 'request')
    return controlFailure(echo, [
      errors.error(
        'xmlParse',
        `XML Parse schema error: Element '${root.name}': No matching global declaration available for the validation root.`,
      ),
    ]);

  const functionNames = functionNamesOf(root);
  const fault = state.faults.choose(functionNames);
  entry.fault = fault?.rule.kind;
  if (fault?.rule.kind === 'http5xx')
    return {
      kind: 'respond',
      status: fault.rule.status,
      contentType: 'text/html; charset=UTF-8',
      body: html5xx(fault.rule.status),
      delayMs: fault.rule.latencyMs,
    };
  if (fault?.rule.kind === 'timeout') return { kind: 'drop', afterMs: fault.rule.latencyMs };
  if (fault?.rule.kind === 'rateLimit')
    return controlFailure(echo, [errors.error('rateLimited', 'Too many requests. Rate limit exceeded; please retry later.')], 429, {
      retryAfterSeconds: 1,
    });

  const companyId = companyOf(root, state);
  entry.companyId = companyId;
  const limited = companyId === undefined ? undefined : admit(companyId, state, echo);
  if (limited) return limited;
  try {
    if (state.validator) {
      const verdict = await state.validator.validate(root);
      if (!verdict.valid) {
        entry.schemaErrors = verdict.errors;
        return controlFailure(
          echo,
          verdict.errors
            .filter((message) => !/fails to validate$/.test(message))
            .map((message) => errors.error('xmlParse', `XML Parse schema error: ${message}`)),
        );
      }
    }
    const outcome = applyLateFault(run(root, echo, state, entry), fault?.rule);
    // Slow answers hold their concurrency slot, as a slow gateway would.
    if (outcome.kind === 'respond' && outcome.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
      return { ...outcome, delayMs: 0 };
    }
    return outcome;
  } finally {
    if (companyId !== undefined) state.inFlight.set(companyId, (state.inFlight.get(companyId) ?? 1) - 1);
  }
}

/** Faults that happen after the work is committed: the caller cannot know it succeeded. */
function applyLateFault(outcome: GatewayOutcome, rule: FaultRule | undefined): GatewayOutcome {
  if (!rule || outcome.kind !== 'respond') return outcome;
  switch (rule.kind) {
    case 'latency':
      return { ...outcome, delayMs: rule.latencyMs };
    case 'html524':
      return { kind: 'respond', status: 524, contentType: 'text/html; charset=UTF-8', body: cloudflare524, delayMs: rule.latencyMs };
    case 'malformed':
      return { ...outcome, body: outcome.body.slice(0, Math.max(20, Math.floor(outcome.body.length / 2))) };
    case 'commitThenDrop':
      return { kind: 'drop', afterMs: rule.latencyMs };
    default:
      return outcome;
  }
}

/** Concurrency and rate limits per company; over either → HTTP 429 GW-0010. */
function admit(companyId: string, state: GatewayState, echo: ControlEcho): GatewayOutcome | undefined {
  const now = state.options.now();
  const rate = state.options.rateLimit;
  if (rate) {
    const window = state.rateWindows.get(companyId);
    if (!window || now - window.start >= rate.windowMs) state.rateWindows.set(companyId, { start: now, count: 1 });
    else if (window.count >= rate.requests) {
      return controlFailure(echo, [state.errors.error('rateLimited', 'Too many requests. Rate limit exceeded; please retry later.')], 429, {
        retryAfterSeconds: Math.max(1, Math.ceil((window.start + rate.windowMs - now) / 1000)),
      });
    } else window.count += 1;
  }
  const inFlight = state.inFlight.get(companyId) ?? 0;
  if (inFlight >= state.options.concurrencyLimit) {
    return controlFailure(
      echo,
      [
        state.errors.error(
          'rateLimited',
          `Too many concurrent requests: the limit of ${state.options.concurrencyLimit} concurrent requests for this company is in use. Please try again later.`,
        ),
      ],
      429,
      { retryAfterSeconds: 1 },
    );
  }
  state.inFlight.set(companyId, inFlight + 1);
  return undefined;
}

function run(
  root: XmlNode,
  echo: ControlEcho,
  state: GatewayState,
  entry: { functions: RequestLogEntry['functions']; transaction: boolean },
): GatewayOutcome {
  const { errors } = state;
  if (echo.dtdVersion !== '' && echo.dtdVersion !== '3.0') {
    return controlFailure(echo, [
      errors.error('xmlParse', `XML Parse schema error: dtdversion ${echo.dtdVersion} is not supported by this endpoint; use 3.0.`),
    ]);
  }
  const sender = state.senders.find((candidate) => candidate.senderId === echo.senderId && candidate.password === echo.password);
  if (!sender)
    return controlFailure(echo, [
      {
        errorno: errors.errorno('senderCredentials'),
        description: 'Incorrect Intacct XML Partner ID or password.',
        description2: '',
        correction: '',
      },
    ]);

  const operations: OutElement[] = [];
  for (const operation of childrenNamed(root, 'operation')) {
    const outcome = runOperation(operation, sender, echo, state, entry);
    if ('kind' in outcome) return outcome;
    operations.push(outcome);
  }
  return respond(el('response', [controlElement('success', echo), ...operations]));
}

function authenticationFailure(userId: string, companyId: string, error: SandboxError): OutElement {
  return el('operation', [
    el('authentication', [el('status', 'failure'), el('userid', userId), el('companyid', companyId)]),
    errorMessage([error]),
  ]);
}

function runOperation(
  operation: XmlNode,
  sender: SandboxSender,
  echo: ControlEcho,
  state: GatewayState,
  entry: { functions: RequestLogEntry['functions']; transaction: boolean },
): OutElement | GatewayOutcome {
  const { errors, options } = state;
  const authentication = child(operation, 'authentication');
  const login = child(authentication, 'login');
  let session: SandboxSession | undefined;
  let userId: string;
  let companyId: string;
  let locationId: string;
  if (login) {
    userId = childText(login, 'userid') ?? '';
    companyId = childText(login, 'companyid') ?? '';
    locationId = childText(login, 'locationid') ?? '';
    const user = state.users.find((candidate) => candidate.userId === userId && candidate.password === childText(login, 'password'));
    const locationKnown = locationId === '' || state.store.getById('LOCATION', locationId) !== undefined;
    if (companyId !== state.store.companyId || !user || !locationKnown) {
      if (options.signInFailure === 'http401') {
        return controlFailure(echo, [errors.error('signInHttp401', 'Sign-in information is incorrect. Please check your request.')], 401);
      }
      return authenticationFailure(userId, companyId, errors.error('signIn', 'Sign-in information is incorrect'));
    }
  } else {
    const sessionId = (childText(authentication, 'sessionid') ?? '').trim();
    if (sessionId === '' && options.signInFailure === 'http401') {
      // The newer gateway refuses malformed authentication values before looking anything up.
      return controlFailure(
        echo,
        [errors.error('badRequest', `Invalid Request [Request ID ${Math.floor(options.now()).toString(36)}]`)],
        400,
      );
    }
    session = state.sessions.find(sessionId);
    if (!session || session.companyId !== state.store.companyId) {
      return authenticationFailure('', '', errors.error('invalidSession', `Invalid session ${sessionId.slice(0, 6)}....`));
    }
    userId = session.userId;
    companyId = session.companyId;
    locationId = session.locationId;
  }
  if (!sender.companies.includes(companyId)) {
    return authenticationFailure(
      userId,
      companyId,
      errors.error(
        'senderNotAuthorized',
        `Invalid Web Services Authorization. The sender ID '${sender.senderId}' is not authorized to make Web Services requests to company ID '${companyId}'.`,
        'Contact the company administrator to grant Web Services authorization to this sender ID.',
      ),
    );
  }

  const transaction = operation.attributes.transaction === 'true';
  entry.transaction = transaction;
  const uniqueId = echo.uniqueId === 'true';
  const calls = childrenNamed(operation, 'content').flatMap((content) => childrenNamed(content, 'function'));
  const store = state.store;
  const operationMark = store.mark();
  const context: FunctionContext = {
    store,
    errors,
    cursors: state.cursors,
    sessionKey: `${companyId}|${userId}|${locationId}`,
    seed: state.seed,
    now: new Date(options.now()),
    userId,
  };
  type Outcome = {
    name: string;
    controlId: string;
    status: 'success' | 'failure' | 'aborted';
    data?: OutElement;
    key?: string;
    errors?: readonly SandboxError[];
  };
  const outcomes: Outcome[] = [];
  let failed = false;
  for (const call of calls) {
    const body = call.children[0];
    const name = body?.name ?? '';
    const controlId = call.attributes.controlid ?? '';
    if (failed && transaction) {
      outcomes.push({ name, controlId, status: 'aborted' });
      continue;
    }
    if (uniqueId && store.isRecorded(controlId)) {
      outcomes.push({
        name,
        controlId,
        status: 'failure',
        errors: [
          errors.error(
            'duplicateControlId',
            `A successful transaction has already been recorded with the control id ${controlId}`,
            'Use a new control id for a new transaction.',
          ),
        ],
      });
      failed = true;
      continue;
    }
    const mark = store.mark();
    try {
      let output: { data?: OutElement; key?: string };
      if (name === 'getAPISession') {
        const scope = childText(body, 'locationid') ?? locationId;
        if (scope !== '' && !store.getById('LOCATION', scope)) throw errors.invalidReference('Location', scope);
        const granted = session && scope === session.locationId ? session : state.sessions.create(companyId, userId, scope);
        output = {
          data: el('data', [
            el('api', [
              el('sessionid', granted.sessionId),
              el('endpoint', `${state.publicUrl}/ia/xml/xmlgw.phtml`),
              el('locationid', granted.locationId),
            ]),
          ]),
        };
      } else {
        const handler = functionHandlers[name];
        if (!handler) throw errors.fail('unsupported', `The function ${name} is not supported by the Intacct sandbox.`);
        output = handler(body!, context);
      }
      store.record(controlId);
      outcomes.push({ name, controlId, status: 'success', ...output });
    } catch (error) {
      store.rollbackTo(mark);
      if (!(error instanceof FunctionFailure)) {
        state.logger?.error({ err: error, function: name }, 'intacct sandbox function crashed');
        outcomes.push({
          name,
          controlId,
          status: 'failure',
          errors: [errors.error('validation', 'There was an error processing the request.')],
        });
      } else {
        outcomes.push({
          name,
          controlId,
          status: 'failure',
          errors: error.errors,
          ...(error.data === undefined || transaction ? {} : { data: error.data }),
        });
      }
      failed = true;
    }
  }
  if (failed && transaction) {
    store.rollbackTo(operationMark);
    const rolledBack = errors.error('rolledBack', 'The entire transaction in this operation has been rolled back due to an error.');
    for (const outcome of outcomes) {
      if (outcome.status === 'failure') continue;
      outcome.status = 'aborted';
      outcome.errors = [rolledBack];
      delete outcome.data;
      delete outcome.key;
    }
  }
  store.commit();
  if (session) state.sessions.slide(session);
  const activeSession = session ?? undefined;
  const now = options.now();
  entry.functions = [
    ...entry.functions,
    ...outcomes.map((outcome) => ({ name: outcome.name, controlId: outcome.controlId, status: outcome.status })),
  ];
  return el('operation', [
    el('authentication', [
      el('status', 'success'),
      el('userid', userId),
      el('companyid', companyId),
      el('locationid', locationId),
      el('sessiontimestamp', isoWithOffset(now)),
      el('sessiontimeout', isoWithOffset(activeSession?.expiresAt ?? now + options.sessionDurationMs)),
    ]),
    ...outcomes.map((outcome) =>
      el('result', [
        el('status', outcome.status),
        el('function', outcome.name),
        el('controlid', outcome.controlId),
        ...(outcome.key === undefined ? [] : [el('key', outcome.key)]),
        ...(outcome.data === undefined ? [] : [outcome.data]),
        ...(outcome.errors === undefined ? [] : [errorMessage(outcome.errors)]),
      ]),
    ),
  ]);
}

/** The senders and users of the demo company when the seed names none. */
export function defaultPrincipals(seed: IntacctSandboxSeed): { senders: SandboxSender[]; users: SandboxUser[] } {
  const companyId = seed.companyId ?? demoCredentials.companyId;
  return {
    senders: [
      ...(seed.senders ?? [{ senderId: demoCredentials.senderId, password: demoCredentials.senderPassword, companies: [companyId] }]),
    ],
    users: [...(seed.users ?? [{ userId: demoCredentials.userId, password: demoCredentials.userPassword }])],
  };
}
