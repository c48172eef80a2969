import { randomUUID } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { buildRequestXml, type IntacctFunctionCall, type IntacctLogin, type IntacctSender } from './envelope.js';
import { classifyErrorMessage, classifyHttpStatus, isAlreadyRecorded, isInvalidSession, parseRetryAfter } from './error-classification.js';
import { IntacctAuthConfigError, IntacctInputError, IntacctRetryableError, type IntacctError } from './errors.js';
import { getApiSession } from './functions/get-api-session.js';
import {
  MalformedResponseError,
  fieldText,
  looksLikeIntacctResponse,
  parseResponse,
  type IntacctResponse,
  type IntacctResult,
} from './response-parser.js';
import { InMemorySessionCache, type IntacctSession, type IntacctSessionCache } from './session-cache.js';
import { compoundKey } from '../bounded-cache.js';
import { IntacctSlotKeys, type IntacctRequester } from './request-slot-keys.js';
import type { IntacctRequestSlots } from './request-slots.js';
import type { IntacctTransactionCounter } from './transaction-counter.js';
import { createGotTransport, type IntacctTransport } from './transport.js';
import { inVendorCallSpan } from '../vendor-call-span.js';

/** A tenant's Intacct credentials. Kept in memory only; never logged or put into errors. */
export interface IntacctCredentials extends IntacctSender, IntacctLogin {}

/** The public gateway address; sessions may move to the endpoint `getAPISession` returns. */
export const defaultIntacctEndpoint = 'https://api.intacct.com/ia/xml/xmlgw.phtml';

/** Construction options of {@link IntacctClient}. */
export interface IntacctClientOptions {
  readonly tenantId: string;
  readonly credentials: IntacctCredentials;
  /** Login endpoint (default {@link defaultIntacctEndpoint}). */
  readonly endpoint?: string;
  readonly transport?: IntacctTransport;
  /** DNS lookup of the default transport (the installation's public-address check); ignored with `transport`. */
  readonly dnsLookup?: LookupFunction;
  /** Shared between clients of the same process so sessions are reused (default: one per client). */
  readonly sessionCache?: IntacctSessionCache;
  readonly transactionCounter?: IntacctTransactionCounter;
  /** Shared between clients of the same process: at most the company's concurrency limit in flight (default: no limit). */
  readonly requestSlots?: IntacctRequestSlots;
  /**
   * Shared with `requestSlots`: which slots this tenant's requests take, its own until a sign-in
   * proves it holds the company's credentials (default: one per client, so its own).
   */
  readonly slotKeys?: IntacctSlotKeys;
  /** Per-request timeout (default 120 s, below Cloudflare's 524 edge limit). */
  readonly timeoutMs?: number;
  /**
   * Hosts a session endpoint may point at besides the login endpoint's host and `*.intacct.com`:
   * the sender password travels with every request, so it only goes to trusted hosts.
   */
  readonly trustedEndpointHosts?: readonly string[];
  readonly now?: () => number;
  /**
   * Re-sends a request of reads only (no write in it) that an outage answered quickly: see
   * {@link IntacctReadRetries}. Default: none, every failure goes back to the caller.
   */
  readonly readRetries?: IntacctReadRetries;
  /** Waits between read retries (default `setTimeout`); tests pass their own. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * How often a request of reads is sent again after an outage answered it (a 5xx, a 429 with a
 * short Retry-After, a page that is not Intacct's, a dropped connection). Reading twice changes
 * nothing, and leaving it to Temporal redoes the whole activity (its read-before-write and its
 * other reads) at a backoff that reaches minutes: an activity of five requests on a gateway that
 * fails one in five took eight minutes in a chaos run. A read that hung until the timeout is not
 * sent again here: that is an outage for Temporal's backoff.
 */
export interface IntacctReadRetries {
  /** Extra sends after the first (e.g. 2). */
  readonly attempts: number;
  /** First wait; doubled each time, or the gateway's Retry-After when it names one. */
  readonly delayMs: number;
  /** A wait longer than this (a long Retry-After) is left to the caller. */
  readonly maxDelayMs: number;
}

/** Functions that only read: a request holding nothing else may be sent twice. */
const readFunctions: ReadonlySet<string> = new Set(['readByQuery', 'readMore', 'query', 'read', 'readByName']);

/** A failed read that took longer than this is not sent again (it hung rather than failed). */
const quickFailureMs = 5_000;

/** Options of one request. */
export interface IntacctExecuteOptions {
  /** All functions commit or none (`<operation transaction="true">`). */
  readonly transaction?: boolean;
  /** Refuse function control ids that already succeeded; use it for every write. */
  readonly uniqueId?: boolean;
}

/**
 * The `uniqueid` replay answer: a function with this control id already succeeded. The write
 * is done; the caller resolves the existing record by its business key.
 */
export class IntacctAlreadyRecordedError extends IntacctInputError {
  override readonly name = 'IntacctAlreadyRecordedError';
}

/**
 * Intacct XML gateway client of one tenant: sessions, envelopes, sending, three-level status
 * checks, classification. It leaves retrying a failed request to Temporal, with two
 * exceptions: a single re-send after renewing an invalid session, which the gateway refused
 * before running any function, and, when asked, a request of reads an outage answered quickly
 * ({@link IntacctReadRetries}).
 */
export class IntacctClient {
  readonly tenantId: string;
  private readonly credentials: IntacctCredentials;
  private readonly loginEndpoint: string;
  private readonly transport: IntacctTransport;
  private readonly sessions: IntacctSessionCache;
  private readonly counter: IntacctTransactionCounter | undefined;
  private readonly slots: IntacctRequestSlots | undefined;
  private readonly slotKeys: IntacctSlotKeys;
  private readonly timeoutMs: number;
  private readonly trustedHosts: readonly string[];
  private readonly readRetries: IntacctReadRetries | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: IntacctClientOptions) {
    this.tenantId = options.tenantId;
    this.credentials = options.credentials;
    this.loginEndpoint = options.endpoint ?? defaultIntacctEndpoint;
    this.transport = options.transport ?? createGotTransport(options.dnsLookup ? { dnsLookup: options.dnsLookup } : {});
    this.now = options.now ?? Date.now;
    this.sessions = options.sessionCache ?? new InMemorySessionCache(this.now);
    this.counter = options.transactionCounter;
    this.slots = options.requestSlots;
    this.slotKeys = options.slotKeys ?? new IntacctSlotKeys({ now: this.now });
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.trustedHosts = [new URL(this.loginEndpoint).host, ...(options.trustedEndpointHosts ?? [])];
    this.readRetries = options.readRetries;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Sends the functions in one request and returns one result per function, in order. Control,
   * authentication and HTTP failures throw; function results are returned as they are (see
   * {@link IntacctClient.executeOne} for the checked form).
   */
  async execute(calls: readonly IntacctFunctionCall[], options: IntacctExecuteOptions = {}): Promise<readonly IntacctResult[]> {
    for (let retry = 0; ; retry += 1) {
      const startedAt = Date.now();
      try {
        return await this.executeOnce(calls, options);
      } catch (error) {
        const delayMs = this.readRetryDelay(calls, error, retry, Date.now() - startedAt);
        if (delayMs === undefined) throw error;
        await this.sleep(delayMs);
      }
    }
  }

  /** How long to wait before sending a failed request of reads again, or undefined to give the failure back. */
  private readRetryDelay(calls: readonly IntacctFunctionCall[], error: unknown, retry: number, tookMs: number): number | undefined {
    const retries = this.readRetries;
    if (retries === undefined || retry >= retries.attempts || tookMs > quickFailureMs) return undefined;
    if (!(error instanceof IntacctRetryableError) || (error.level !== 'http' && error.level !== 'transport')) return undefined;
    if (!calls.every((call) => readFunctions.has(call.body.name))) return undefined;
    const delayMs = error.retryAfterMs ?? retries.delayMs * 2 ** retry;
    return delayMs > retries.maxDelayMs ? undefined : delayMs;
  }

  private async executeOnce(calls: readonly IntacctFunctionCall[], options: IntacctExecuteOptions): Promise<readonly IntacctResult[]> {
    let session = await this.session();
    let response = await this.send(session, calls, options);
    if (response.authentication?.status === 'failure' && isInvalidSession(response.authenticationErrors)) {
      this.sessions.delete(this.sessionKey());
      session = await this.session();
      response = await this.send(session, calls, options);
    }
    this.ensureAuthenticated(response);
    this.slide(session, response);
    if (response.results.length !== calls.length) {
      throw new IntacctRetryableError(`Intacct answered ${response.results.length} results for ${calls.length} functions`, {
        level: 'function',
        outcomeUnknown: true,
      });
    }
    return response.results;
  }

  /** Sends one function and returns its result, or throws the classified failure. */
  async executeOne(call: IntacctFunctionCall, options: IntacctExecuteOptions = {}): Promise<IntacctResult> {
    const [result] = await this.execute([call], options);
    return ensureSuccess(result!);
  }

  /**
   * Sends functions as one all-or-nothing operation and returns every result, or throws the
   * failing function's error (the others come back `aborted`).
   */
  async executeTransaction(
    calls: readonly IntacctFunctionCall[],
    options: Omit<IntacctExecuteOptions, 'transaction'> = {},
  ): Promise<readonly IntacctResult[]> {
    const results = await this.execute(calls, { ...options, transaction: true });
    const failed =
      results.find((result) => result.status === 'failure' || result.status === undefined) ??
      results.find((result) => result.status !== 'success');
    if (failed) ensureSuccess(failed);
    return results;
  }

  /**
   * Proves the credentials: signs in with `getAPISession` (one API transaction) unless a
   * session is already cached, and says which endpoint the session lives on.
   */
  async verifySignIn(): Promise<{ endpoint: string }> {
    const session = await this.session();
    return { endpoint: session.endpoint };
  }

  /** Tenant and endpoint first: a session opened for one tenant, or at one endpoint, is never used for another. */
  private sessionKey(): string {
    const { companyId, entityId, userId } = this.credentials;
    return compoundKey(this.tenantId, this.loginEndpoint, companyId, entityId ?? '', userId);
  }

  private requester(): IntacctRequester {
    return { tenantId: this.tenantId, endpoint: this.loginEndpoint, companyId: this.credentials.companyId };
  }

  private async session(): Promise<IntacctSession> {
    const cached = this.sessions.get(this.sessionKey());
    if (cached) return cached;
    const controlId = 'get-api-session';
    const xml = buildRequestXml({
      sender: this.credentials,
      controlId: randomUUID(),
      uniqueId: false,
      transaction: false,
      authentication: { login: this.credentials },
      functions: [
        { controlId, body: getApiSession(this.credentials.entityId === undefined ? {} : { entityId: this.credentials.entityId }) },
      ],
    });
    let response: IntacctResponse;
    try {
      response = await this.post(this.loginEndpoint, xml, ['getAPISession']);
      this.ensureAuthenticated(response);
    } catch (error) {
      // Refused credentials withdraw the proof that let this tenant share the company's slots.
      if (error instanceof IntacctAuthConfigError) this.slotKeys.forgetSignIn(this.requester());
      throw error;
    }
    const result = ensureSuccess(response.results[0] ?? missingResult(controlId));
    const api = result.data?.records[0];
    const sessionId = api ? fieldText(api, 'sessionid') : '';
    const endpoint = api ? fieldText(api, 'endpoint') : '';
    if (!sessionId)
      throw new IntacctRetryableError('Intacct getAPISession answered without a session id', {
        level: 'function',
        functionName: 'getAPISession',
      });
    const session: IntacctSession = {
      sessionId,
      endpoint: endpoint ? this.trustedEndpoint(endpoint) : this.loginEndpoint,
      expiresAt: parseTimestamp(response.authentication?.sessionTimeout),
    };
    this.sessions.set(this.sessionKey(), session);
    this.slotKeys.recordSignIn(this.requester());
    return session;
  }

  private trustedEndpoint(endpoint: string): string {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new IntacctAuthConfigError('Intacct getAPISession returned an endpoint that is not a URL', {
        level: 'function',
        functionName: 'getAPISession',
      });
    }
    const trusted = this.trustedHosts.includes(url.host) || (url.protocol === 'https:' && url.hostname.endsWith('.intacct.com'));
    if (!trusted)
      throw new IntacctAuthConfigError(`Intacct session endpoint host ${url.host} is not trusted; add it to trustedEndpointHosts`, {
        level: 'function',
        functionName: 'getAPISession',
      });
    return url.toString();
  }

  private slide(session: IntacctSession, response: IntacctResponse): void {
    const expiresAt = parseTimestamp(response.authentication?.sessionTimeout);
    if (expiresAt !== undefined && expiresAt !== session.expiresAt) this.sessions.set(this.sessionKey(), { ...session, expiresAt });
  }

  private async send(
    session: IntacctSession,
    calls: readonly IntacctFunctionCall[],
    options: IntacctExecuteOptions,
  ): Promise<IntacctResponse> {
    const xml = buildRequestXml({
      sender: this.credentials,
      controlId: randomUUID(),
      uniqueId: options.uniqueId ?? false,
      transaction: options.transaction ?? false,
      authentication: { sessionId: session.sessionId },
      functions: calls,
    });
    return this.post(
      session.endpoint,
      xml,
      calls.map((call) => call.body.name),
    );
  }

  private async post(url: string, xml: string, functionNames: readonly string[]): Promise<IntacctResponse> {
    this.counter?.record(this.tenantId, functionNames);
    const send = () => this.transport.post(url, xml, { timeoutMs: this.timeoutMs });
    const call = { system: 'intacct', operation: functionNames.join(','), attributes: { 'tenant.id': this.tenantId } } as const;
    const http = await inVendorCallSpan(call, () =>
      this.slots
        ? this.slots.run(this.slotKeys.slotKey(this.requester()), send, this.tenantId, this.slotKeys.companyKey(this.requester()))
        : send(),
    );
    const retryAfterMs = parseRetryAfter(http.retryAfter, this.now());
    // The body of a non-Intacct answer is never quoted: whatever answered is not the vendor.
    if (!looksLikeIntacctResponse(http.body)) throw classifyHttpStatus(http.status === 200 ? 502 : http.status, retryAfterMs);
    let response: IntacctResponse;
    try {
      response = parseResponse(http.body);
    } catch (error) {
      if (error instanceof MalformedResponseError) {
        throw new IntacctRetryableError(error.message, { level: 'http', status: http.status, outcomeUnknown: true, cause: error });
      }
      throw error;
    }
    if (response.control.status === 'failure') {
      const error = classifyErrorMessage({
        level: 'control',
        errors: response.controlErrors,
        status: http.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
      throw error;
    }
    return response;
  }

  private ensureAuthenticated(response: IntacctResponse): void {
    if (response.authentication === undefined)
      throw new IntacctRetryableError('Intacct response has no operation block', { level: 'authentication', outcomeUnknown: true });
    if (response.authentication.status === 'failure')
      throw classifyErrorMessage({ level: 'authentication', errors: response.authenticationErrors });
  }
}

/** Returns a successful result or throws its classified failure. */
export function ensureSuccess(result: IntacctResult): IntacctResult {
  if (result.status === 'success') return result;
  const context = { level: 'function' as const, errors: result.errors, controlId: result.controlId, functionName: result.functionName };
  if (isAlreadyRecorded(result.errors)) {
    throw new IntacctAlreadyRecordedError(
      `Intacct already recorded a successful ${result.functionName || 'function'} with control id ${result.controlId}`,
      context,
    );
  }
  if (result.status === undefined && result.errors.length === 0) {
    throw new IntacctRetryableError(`Intacct result for control id ${result.controlId} has no status`, {
      ...context,
      outcomeUnknown: true,
    });
  }
  if (result.status === 'aborted') {
    return throwError(
      classifyErrorMessage({
        ...context,
        errors:
          result.errors.length > 0
            ? result.errors
            : [{ errorno: 'XL03000009', description: '', description2: 'The transaction was rolled back', correction: '' }],
      }),
    );
  }
  return throwError(classifyErrorMessage(context));
}

function throwError(error: IntacctError): never {
  throw error;
}

function missingResult(controlId: string): IntacctResult {
  return { status: undefined, functionName: '', controlId, key: undefined, data: undefined, errors: [] };
}

function parseTimestamp(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
