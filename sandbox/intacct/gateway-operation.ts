import { FunctionFailure, type ErrorCatalogue, type SandboxError } from './error-catalogue.js';
import { controlFailure, errorMessage, isoWithOffset, type ControlEcho } from './gateway-envelope.js';
import type { GatewayOutcome, GatewayState } from './gateway-state.js';
import type { FunctionContext } from './handlers/context.js';
import { functionHandlers } from './handlers/index.js';
import type { RequestLogEntry } from './request-log.js';
import type { SandboxSender, SandboxUser } from './seed.js';
import type { SandboxSession } from './sessions.js';
import { child, childText, childrenNamed, type XmlNode } from './xml-tree.js';
import { el, type OutElement } from './xml-output.js';

/* One `<operation>` of a gateway request: authentication, then its functions in order. */

function authenticationFailure(userId: string, companyId: string, error: SandboxError): OutElement {
  return el('operation', [
    el('authentication', [el('status', 'failure'), el('userid', userId), el('companyid', companyId)]),
    errorMessage([error]),
  ]);
}

/** Whether the user may act in `entityId` ('' = the top level): a user restricted to entities enters only those. */
function mayEnter(user: SandboxUser | undefined, entityId: string): boolean {
  return user?.entities === undefined || user.entities.includes(entityId);
}

function entityNotPermitted(errors: ErrorCatalogue, userId: string, entityId: string): SandboxError {
  return errors.error(
    'entityNotPermitted',
    entityId === ''
      ? `User ${userId} is restricted to entities and cannot sign in at the top level.`
      : `User ${userId} does not have permission to access entity ${entityId}.`,
    "Give the user access to the entity in Intacct (Company > Admin > Users, the user's entity restrictions), or post to an entity the user may access.",
  );
}

/** Authenticates one operation and runs its functions (all-or-nothing with `transaction="true"`), with `uniqueid` replay protection. */
export function runOperation(
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
    if (!mayEnter(user, locationId)) return authenticationFailure(userId, companyId, entityNotPermitted(errors, userId, locationId));
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
    entityId: locationId,
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
        if (
          !mayEnter(
            state.users.find((candidate) => candidate.userId === userId),
            scope,
          )
        )
          throw new FunctionFailure([entityNotPermitted(errors, userId, scope)]);
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
