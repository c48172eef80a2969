import { controlFailure, controlElement, readEcho, respond, type ControlEcho } from './gateway-envelope.js';
import { admit, applyLateFault, html5xx } from './gateway-limits.js';
import { runOperation } from './gateway-operation.js';
import type { GatewayOutcome, GatewayState } from './gateway-state.js';
import type { RequestLogEntry } from './request-log.js';
import { demoCredentials, type IntacctSandboxSeed, type SandboxSender, type SandboxUser } from './seed.js';
import { childrenNamed, child, childText, parseXmlTree, XmlSyntaxError, type XmlNode } from './xml-tree.js';
import { el, type OutElement } from './xml-output.js';

export type { GatewayOutcome, GatewayState } from './gateway-state.js';

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
