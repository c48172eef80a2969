import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ProblemError, problemTypes } from './problems.js';

/** Every scope the contract defines. */
export const allScopes = [
  'orders:read',
  'orders:write',
  'products:read',
  'products:write',
  'inventory:write',
  'customers:read',
  'returns:read',
  'webhooks:manage',
] as const;
export type Scope = (typeof allScopes)[number];

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  scopes: readonly Scope[];
}

/** The demo credentials from the design (full access), plus a read-only client for scope tests. */
export const demoClients: readonly OAuthClient[] = [
  { clientId: 'demo-clarity-client', clientSecret: 'demo-clarity-secret', scopes: allScopes },
  {
    clientId: 'demo-clarity-readonly',
    clientSecret: 'demo-clarity-readonly-secret',
    scopes: ['orders:read', 'products:read', 'customers:read', 'returns:read'],
  },
];

interface IssuedToken {
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
}

/** Who is calling, once the bearer token checked out. */
export interface Caller {
  clientId: string;
  scopes: Set<string>;
}

/**
 * The client-credentials grant (RFC 6749 §4.4) and bearer-token checks (RFC 6750), with the
 * real error bodies: `{error, error_description}` from the token endpoint, problem+json with
 * `WWW-Authenticate: Bearer error=...` from the API.
 */
export class OAuthServer {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly clients: OAuthClient[];
  tokenLifetimeSeconds = 3600;

  constructor(
    clients: readonly OAuthClient[],
    private readonly now: () => number,
  ) {
    this.clients = [...clients];
  }

  /**
   * Registers an OAuth client with the scopes a merchant granted it (replacing one of the same
   * id), as a site administrator does; its tokens are refused any other scope.
   */
  registerClient(client: OAuthClient): void {
    const index = this.clients.findIndex((candidate) => candidate.clientId === client.clientId);
    if (index >= 0) this.clients[index] = client;
    else this.clients.push(client);
  }

  /** Forgets every token, as a key rollover or a revoked grant would. */
  revokeAll(): void {
    this.tokens.clear();
  }

  /** `POST /oauth/token`, behind a urlencoded body parser. */
  issueToken(request: Request, response: Response): void {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const client = this.authenticateClient(request.get('authorization'), form);
    if (client === 'malformed') return oauthError(response, 400, 'invalid_request', 'client authentication is malformed');
    if (client === undefined) {
      response.setHeader('WWW-Authenticate', 'Basic realm="clarity"');
      return oauthError(response, 401, 'invalid_client', 'client authentication failed');
    }
    const grantType = form.grant_type;
    if (grantType === undefined) return oauthError(response, 400, 'invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials')
      return oauthError(response, 400, 'unsupported_grant_type', 'only client_credentials is supported');
    const requested = typeof form.scope === 'string' && form.scope.trim() !== '' ? form.scope.trim().split(/\s+/) : [...client.scopes];
    const refused = requested.filter((scope) => !(client.scopes as readonly string[]).includes(scope));
    if (refused.length > 0) return oauthError(response, 400, 'invalid_scope', `not granted to this client: ${refused.join(' ')}`);
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, {
      clientId: client.clientId,
      scopes: new Set(requested),
      expiresAt: this.now() + this.tokenLifetimeSeconds * 1000,
    });
    response.setHeader('Cache-Control', 'no-store');
    response.json({ access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, scope: requested.join(' ') });
  }

  /** Requires a live bearer token carrying `scope`; the caller lands in `response.locals.caller`. */
  requireScope(scope: Scope): RequestHandler {
    return (request, response, next) => {
      const header = request.get('authorization');
      const match = header === undefined ? null : /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
      if (match === null) {
        next(
          new ProblemError(401, problemTypes.unauthorized, 'Unauthorized', 'a bearer token is required', undefined, {
            'WWW-Authenticate': 'Bearer realm="clarity"',
          }),
        );
        return;
      }
      const token = this.tokens.get(match[1]!);
      if (token === undefined || token.expiresAt <= this.now()) {
        next(
          new ProblemError(401, problemTypes.unauthorized, 'Unauthorized', 'the access token is invalid or has expired', undefined, {
            'WWW-Authenticate': 'Bearer realm="clarity", error="invalid_token"',
          }),
        );
        return;
      }
      if (!token.scopes.has(scope)) {
        next(
          new ProblemError(403, problemTypes.forbidden, 'Forbidden', `the token lacks the ${scope} scope`, undefined, {
            'WWW-Authenticate': `Bearer realm="clarity", error="insufficient_scope", scope="${scope}"`,
          }),
        );
        return;
      }
      response.locals.caller = { clientId: token.clientId, scopes: token.scopes } satisfies Caller;
      next();
    };
  }

  private authenticateClient(authorization: string | undefined, form: Record<string, unknown>): OAuthClient | undefined | 'malformed' {
    let clientId: unknown = form.client_id;
    let clientSecret: unknown = form.client_secret;
    if (authorization !== undefined) {
      const match = /^Basic ([A-Za-z0-9+/]+=*)$/.exec(authorization);
      if (match === null) return 'malformed';
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return 'malformed';
      try {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      } catch {
        return 'malformed';
      }
    }
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') return undefined;
    const client = this.clients.find((candidate) => candidate.clientId === clientId);
    if (client === undefined) return undefined;
    const offered = Buffer.from(clientSecret);
    const expected = Buffer.from(client.clientSecret);
    return offered.length === expected.length && timingSafeEqual(offered, expected) ? client : undefined;
  }
}

function oauthError(response: Response, status: number, error: string, description: string): void {
  response.setHeader('Cache-Control', 'no-store');
  response.status(status).json({ error, error_description: description });
}
