import { describe, expect, it } from 'vitest';
import {
  checkBigCommerceHooks,
  checkClaritySubscriptions,
  isTenantReceiver,
  storefrontWebhookAttention,
  type BigCommerceHookState,
  type ClaritySubscriptionState,
  type StorefrontWebhookFinding,
} from './storefront-webhook-health.js';

const tenantId = 'acme';
const receiver = 'https://sync.example.com/webhooks/bigcommerce/acme';
const scopes = ['store/order/created', 'store/order/updated', 'store/order/refund/created'];

const hook = (id: number, scope: string, overrides: Partial<BigCommerceHookState> = {}): BigCommerceHookState => ({
  id,
  scope,
  destination: receiver,
  isActive: true,
  createdAt: 1_700_000_000,
  ...overrides,
});

describe('isTenantReceiver', () => {
  it.each([
    ['the receiver on the deployment root', 'https://sync.example.com/webhooks/bigcommerce/acme', true],
    ['a base URL with a path of its own', 'https://example.com/sync/webhooks/bigcommerce/acme', true],
    ['a trailing slash', 'https://sync.example.com/webhooks/bigcommerce/acme/', true],
    ['a query string', 'https://sync.example.com/webhooks/bigcommerce/acme?x=1', true],
    ['another tenant whose id ends the same', 'https://sync.example.com/webhooks/bigcommerce/not-acme', false],
    ['another tenant whose id starts the same', 'https://sync.example.com/webhooks/bigcommerce/acme-2', false],
    ["the other storefront's receiver", 'https://sync.example.com/webhooks/clarity/acme', false],
    ['another app', 'https://other-app.example.com/hooks/acme', false],
    ['not a URL', 'webhooks/bigcommerce/acme', false],
  ])('when the destination is %s then it is %s', (_case, url, expected) => {
    expect(isTenantReceiver(url, 'bigcommerce', tenantId)).toBe(expected);
  });
});

describe('checkBigCommerceHooks', () => {
  it.each<[string, BigCommerceHookState[], Partial<ReturnType<typeof checkBigCommerceHooks>>]>([
    [
      'every scope has an active hook',
      [hook(1, scopes[0]!), hook(2, scopes[1]!), hook(3, scopes[2]!)],
      { destination: receiver, checked: 3, reactivate: [], reactivated: [], missing: [], otherDestinations: [] },
    ],
    [
      'the store deactivated two hooks',
      [hook(1, scopes[0]!, { isActive: false }), hook(2, scopes[1]!), hook(3, scopes[2]!, { isActive: false })],
      {
        checked: 3,
        reactivate: [
          { id: 1, scope: scopes[0]! },
          { id: 3, scope: scopes[2]! },
        ],
        reactivated: [scopes[0]!, scopes[2]!],
        missing: [],
      },
    ],
    ['a hook was deleted', [hook(1, scopes[0]!), hook(3, scopes[2]!)], { checked: 2, reactivate: [], missing: [scopes[1]!] }],
    [
      'a deleted hook and a deactivated one',
      [hook(1, scopes[0]!, { isActive: false }), hook(3, scopes[2]!)],
      { checked: 2, reactivate: [{ id: 1, scope: scopes[0]! }], reactivated: [scopes[0]!], missing: [scopes[1]!] },
    ],
    ['no hook points at the receiver', [], { destination: undefined, checked: 0, reactivate: [], missing: scopes }],
    [
      "only other receivers' hooks (another tenant, another app)",
      [
        hook(1, scopes[0]!, { destination: 'https://sync.example.com/webhooks/bigcommerce/other', isActive: false }),
        hook(2, scopes[0]!, { destination: 'https://app.example.com/bc', isActive: false }),
      ],
      { destination: undefined, checked: 0, reactivate: [], missing: scopes, otherDestinations: [] },
    ],
    ['a wildcard hook covers the order scopes', [hook(1, 'store/order/*')], { checked: 1, missing: [] }],
    [
      'a newer registration to another base URL: only its hooks are repaired, the old deployment’s are left alone',
      [
        hook(1, scopes[0]!, {
          destination: 'https://old.example.com/webhooks/bigcommerce/acme',
          isActive: false,
          createdAt: 1_600_000_000,
        }),
        hook(2, scopes[0]!, { isActive: false }),
        hook(3, scopes[1]!),
        hook(4, scopes[2]!),
      ],
      {
        destination: receiver,
        checked: 3,
        reactivate: [{ id: 2, scope: scopes[0]! }],
        missing: [],
        otherDestinations: ['https://old.example.com/webhooks/bigcommerce/acme'],
      },
    ],
  ])('when %s', (_case, hooks, expected) => {
    expect(checkBigCommerceHooks({ tenantId, hooks, scopes })).toMatchObject({ storefront: 'bigcommerce', disabled: [], ...expected });
  });
});

describe('checkClaritySubscriptions', () => {
  const url = 'https://sync.example.com/webhooks/clarity/acme';
  const events = ['order.created', 'order.updated', 'product.updated', 'return.created'];
  const subscription = (id: string, overrides: Partial<ClaritySubscriptionState> = {}): ClaritySubscriptionState => ({
    id,
    url,
    events,
    active: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });

  it.each<[string, ClaritySubscriptionState[], Partial<ReturnType<typeof checkClaritySubscriptions>>]>([
    ['the subscription is active with every event', [subscription('wh_1')], { destination: url, checked: 1, missing: [], disabled: [] }],
    [
      'Clarity disabled the subscription',
      [subscription('wh_1', { active: false })],
      { checked: 1, missing: [], disabled: ['wh_1'], reactivated: [] },
    ],
    [
      'the subscription lacks an event',
      [subscription('wh_1', { events: ['order.created', 'order.updated', 'product.updated'] })],
      { checked: 1, missing: ['return.created'], disabled: [] },
    ],
    ['there is no subscription', [], { destination: undefined, checked: 0, missing: events, disabled: [] }],
    [
      'a newer subscription to another base URL',
      [
        subscription('wh_old', {
          url: 'https://old.example.com/webhooks/clarity/acme',
          active: false,
          createdAt: '2025-06-01T00:00:00.000Z',
        }),
        subscription('wh_2'),
      ],
      { destination: url, checked: 1, disabled: [], otherDestinations: ['https://old.example.com/webhooks/clarity/acme'] },
    ],
    [
      "another tenant's subscription",
      [subscription('wh_9', { url: 'https://sync.example.com/webhooks/clarity/other', active: false })],
      { destination: undefined, checked: 0, disabled: [], missing: events },
    ],
  ])('when %s', (_case, subscriptions, expected) => {
    expect(checkClaritySubscriptions({ tenantId, subscriptions, events })).toMatchObject({
      storefront: 'clarity',
      reactivated: [],
      ...expected,
    });
  });
});

describe('storefrontWebhookAttention', () => {
  const finding = (overrides: Partial<StorefrontWebhookFinding>): StorefrontWebhookFinding => ({
    storefront: 'bigcommerce',
    destination: receiver,
    checked: 8,
    reactivated: [],
    missing: [],
    disabled: [],
    otherDestinations: [],
    ...overrides,
  });
  const register = `POST /api/v1/tenants/${tenantId}/webhooks/register`;

  it('when every webhook is there and active then an open item is resolved', () => {
    expect(storefrontWebhookAttention(tenantId, finding({}))).toEqual({ action: 'resolve' });
  });

  it.each<[string, Partial<StorefrontWebhookFinding>, { code: string; reason: string[]; fix: string[]; notInFix?: string }]>([
    [
      'hooks were re-activated',
      { reactivated: ['store/order/created', 'store/order/updated'] },
      {
        code: 'storefront_webhooks_reactivated',
        reason: [
          'BigCommerce had deactivated the webhooks for store/order/created, store/order/updated',
          receiver,
          're-activated them',
          'the sweep finds the orders and refunds changed meanwhile',
        ],
        fix: ['Nothing is left to repair', 'resolves this item'],
        notInFix: register,
      },
    ],
    [
      'one hook was re-activated',
      { reactivated: ['store/order/created'] },
      {
        code: 'storefront_webhooks_reactivated',
        reason: ['the webhook for store/order/created', 're-activated it', 'while it was off'],
        fix: ['Nothing is left to repair'],
      },
    ],
    [
      'a hook was deleted',
      { missing: ['store/order/created'], checked: 7 },
      {
        code: 'storefront_webhooks_missing',
        reason: ['no webhook to', 'for store/order/created'],
        fix: [`Run ${register}`, 'publicBaseUrl', 'does not know the deployment'],
      },
    ],
    [
      'a hook was deleted and another re-activated',
      { missing: ['store/order/created'], reactivated: ['store/order/updated'] },
      { code: 'storefront_webhooks_missing', reason: ['for store/order/created', 're-activated it'], fix: [register] },
    ],
    [
      'nothing points at the receiver',
      { destination: undefined, checked: 0, missing: ['store/order/created'] },
      {
        code: 'storefront_webhooks_missing',
        reason: [`no webhooks pointing at this tenant's receiver (…/webhooks/bigcommerce/${tenantId})`, 'never registered'],
        fix: [register],
      },
    ],
    [
      'Clarity disabled the subscription',
      { storefront: 'clarity', destination: 'https://sync.example.com/webhooks/clarity/acme', checked: 1, disabled: ['wh_1'] },
      {
        code: 'storefront_webhooks_disabled',
        reason: ['Clarity disabled the subscription wh_1', 'cannot be enabled again'],
        fix: [
          `then run ${register}`,
          'deletes the disabled subscription once the new one is in place',
          'https://sync.example.com/webhooks/clarity/acme did not answer 2xx',
        ],
        notInFix: 'DELETE',
      },
    ],
  ])('when %s then an item is raised that says what happened and what to do', (_case, overrides, expected) => {
    const attention = storefrontWebhookAttention(tenantId, finding(overrides));
    if (attention.action !== 'raise') throw new Error('expected an item to be raised');
    expect(attention.code).toBe(expected.code);
    for (const text of expected.reason) expect(attention.reason).toContain(text);
    for (const text of expected.fix) expect(attention.fix).toContain(text);
    if (expected.notInFix !== undefined) expect(attention.fix).not.toContain(expected.notInFix);
  });

  it('when an item is raised then its details list the finding, and other deployments only when there are some', () => {
    expect(
      storefrontWebhookAttention(
        tenantId,
        finding({ missing: ['store/order/created'], otherDestinations: ['https://old.example.com/webhooks/bigcommerce/acme'] }),
      ),
    ).toMatchObject({
      details: {
        storefront: 'bigcommerce',
        destination: receiver,
        checked: 8,
        reactivated: [],
        missing: ['store/order/created'],
        disabled: [],
        otherDestinations: ['https://old.example.com/webhooks/bigcommerce/acme'],
      },
    });
    const attention = storefrontWebhookAttention(tenantId, finding({ reactivated: ['store/order/created'] }));
    expect(attention.action === 'raise' && Object.keys(attention.details)).toEqual([
      'storefront',
      'destination',
      'checked',
      'reactivated',
      'missing',
      'disabled',
    ]);
  });
});
