import { ClarityAuthError, ClarityRetryableError, classifyFailedAnswer } from './errors.js';
import { headerValue, readBody, type ClarityTransport } from './transport.js';
import { clarityHeaders, clarityRoutes, oauthErrorFromWire, tokenFromWire, toWireTokenRequest } from './wire-mapping.js';

/** A tenant's OAuth client, from its encrypted connection settings. Never logged. */
export interface ClarityCredentials {
  clientId: string;
  clientSecret: string;
}

export interface AccessTokenSourceOptions {
  transport: ClarityTransport;
  credentials: ClarityCredentials;
  scopes: readonly string[];
  now: () => number;
  /** How long before expiry a token counts as stale; the contract asks for 60 s. */
  refreshMarginMs?: number;
}

interface CachedToken {
  value: string;
  staleAt: number;
}

/**
 * Client-credentials tokens for one tenant: cached until shortly before they expire, fetched
 * once for all concurrent callers, and dropped when the API says a token is no longer valid.
 */
export class AccessTokenSource {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: AccessTokenSourceOptions) {
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
  }

  /** A token valid for at least the refresh margin (or half its life, for very short tokens). */
  async current(): Promise<string> {
    if (this.cached !== undefined && this.options.now() < this.cached.staleAt) return this.cached.value;
    this.pending ??= this.issue().finally(() => {
      this.pending = undefined;
    });
    this.cached = await this.pending;
    return this.cached.value;
  }

  /** Forgets `token` if it is still the cached one (another caller may have replaced it already). */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async issue(): Promise<CachedToken> {
    const operation = 'issueToken';
    const issuedAt = this.options.now();
    const { clientId, clientSecret } = this.options.credentials;
    // client_secret_basic: RFC 6749 §2.3.1 form-encodes both parts before joining them.
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const answer = await this.options.transport.send({
      operation,
      method: 'POST',
      path: clarityRoutes.token,
      form: toWireTokenRequest(this.options.scopes),
      headers: { authorization: `Basic ${basic}` },
    });
    if (answer.status === 200) {
      const token = readBody(operation, answer, tokenFromWire);
      const lifetimeMs = token.expiresInSeconds * 1000;
      const marginMs = Math.min(this.refreshMarginMs, lifetimeMs / 2);
      return { value: token.accessToken, staleAt: issuedAt + lifetimeMs - marginMs };
    }
    let parsedError: { code: string; description?: string | undefined } | undefined;
    try {
      const parsed = oauthErrorFromWire.safeParse(JSON.parse(answer.body));
      if (parsed.success) parsedError = parsed.data;
    } catch {
      parsedError = undefined;
    }
    const requestId = headerValue(answer, clarityHeaders.requestId);
    if (parsedError !== undefined && answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) {
      // invalid_client, invalid_scope, unsupported_grant_type: the connection settings are wrong.
      return Promise.reject(
        new ClarityAuthError(
          `Clarity refused the OAuth client (${parsedError.code}${parsedError.description === undefined ? '' : `: ${parsedError.description}`})`,
          {
            operation,
            status: answer.status,
            vendorCode: parsedError.code,
            requestId,
          },
        ),
      );
    }
    const failure = classifyFailedAnswer(
      { operation, status: answer.status, requestId, retryAfterHeader: headerValue(answer, clarityHeaders.retryAfter) },
      this.options.now,
    );
    if (failure instanceof ClarityRetryableError) throw failure;
    throw new ClarityAuthError(failure.message, { operation, status: answer.status, requestId });
  }
}
