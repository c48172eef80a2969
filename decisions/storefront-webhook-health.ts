import type { StorefrontKind } from '../mappers/canonical-order.js';
/**
 * What the sweep's webhook check decides, from what the storefront lists: which of the tenant's
 * hooks to switch back on, which topics nothing is registered for, and what the operator is told.
 * Pure: the activity lists, repairs and records.
 */

/** A BigCommerce hook as `/v3/hooks` lists it (the fields the check reads). */
export interface BigCommerceHookState {
  id: number;
  scope: string;
  destination: string;
  isActive: boolean;
  /** Unix seconds. */
  createdAt: number;
}

/** A Clarity webhook subscription as `GET /api/v1/webhooks` lists it (the fields the check reads). */
export interface ClaritySubscriptionState {
  id: string;
  url: string;
  events: readonly string[];
  active: boolean;
  /** ISO 8601. */
  createdAt: string;
}

/** What the check found at the tenant's receiver, after its own repairs. */
export interface StorefrontWebhookFinding {
  storefront: StorefrontKind;
  /** The receiver URL the tenant's webhooks point at; undefined when none does. */
  destination: string | undefined;
  /** Hooks (BigCommerce) or subscriptions (Clarity) pointing at it. */
  checked: number;
  /** Topics whose hook the storefront had switched off and the check switches back on. */
  reactivated: string[];
  /** Topics (BigCommerce scopes, Clarity event types) nothing is registered for. */
  missing: string[];
  /** Subscriptions the storefront switched off and offers no way to switch on again (Clarity). */
  disabled: string[];
  /** Earlier deployments' receivers for this tenant (same path, another base URL): left alone. */
  otherDestinations: string[];
}

export interface BigCommerceHookCheck extends StorefrontWebhookFinding {
  storefront: 'bigcommerce';
  /** Inactive hooks at the destination, to be PUT `is_active: true`. */
  reactivate: Array<{ id: number; scope: string }>;
}

export interface ClaritySubscriptionCheck extends StorefrontWebhookFinding {
  storefront: 'clarity';
}

/**
 * Whether a URL is the tenant's receiver, `{publicBaseUrl}/webhooks/{storefront}/{tenantId}`:
 * the path is compared, not the host, because the base URL is the deployment's and may carry a
 * path of its own. Tenant ids are URL-safe, so the path holds them as they are.
 */
export function isTenantReceiver(url: string, storefront: StorefrontKind, tenantId: string): boolean {
  if (!URL.canParse(url)) return false;
  return new URL(url).pathname.replace(/\/+$/, '').endsWith(`/webhooks/${storefront}/${tenantId}`);
}

/**
 * The destination the tenant's webhooks are registered to now: the one of the most recently
 * created entry. Registering to a new public URL creates new entries and leaves the old
 * deployment's behind; repairing those would send events to a host that no longer answers.
 */
function currentDestination<T>(
  entries: readonly T[],
  destinationOf: (entry: T) => string,
  newer: (a: T, b: T) => boolean,
): string | undefined {
  let newest: T | undefined;
  for (const entry of entries) if (newest === undefined || newer(entry, newest)) newest = entry;
  return newest === undefined ? undefined : destinationOf(newest);
}

/** BigCommerce matches an event to a hook by its exact scope or a trailing wildcard (`store/order/*`). */
function scopeCovers(hookScope: string, scope: string): boolean {
  return hookScope === scope || (hookScope.endsWith('/*') && scope.startsWith(hookScope.slice(0, -1)));
}

/**
 * The tenant's BigCommerce hooks against the scopes the product subscribes to: inactive hooks at
 * the current destination are to be re-activated (BigCommerce switches a hook off after its
 * deliveries keep failing, and `PUT is_active` switches it on again with its secret header
 * intact); a scope no hook covers was deleted and only the register route, which holds the
 * secret and the public URL, can create it again.
 */
export function checkBigCommerceHooks(input: {
  tenantId: string;
  hooks: readonly BigCommerceHookState[];
  scopes: readonly string[];
}): BigCommerceHookCheck {
  const ours = input.hooks.filter((hook) => isTenantReceiver(hook.destination, 'bigcommerce', input.tenantId));
  const destination = currentDestination(
    ours,
    (hook) => hook.destination,
    (a, b) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id),
  );
  const current = ours.filter((hook) => hook.destination === destination);
  const reactivate = current.filter((hook) => !hook.isActive).map((hook) => ({ id: hook.id, scope: hook.scope }));
  return {
    storefront: 'bigcommerce',
    destination,
    checked: current.length,
    reactivate,
    reactivated: reactivate.map((hook) => hook.scope),
    missing: input.scopes.filter((scope) => !current.some((hook) => scopeCovers(hook.scope, scope))),
    disabled: [],
    otherDestinations: distinct(ours.map((hook) => hook.destination).filter((url) => url !== destination)),
  };
}

/**
 * The tenant's Clarity subscriptions against the event types the product subscribes to. Clarity
 * disables a subscription whose endpoint answers 410 or keeps failing, and its API has no way to
 * enable one again: a disabled subscription is reported, never repaired here.
 */
export function checkClaritySubscriptions(input: {
  tenantId: string;
  subscriptions: readonly ClaritySubscriptionState[];
  events: readonly string[];
}): ClaritySubscriptionCheck {
  const ours = input.subscriptions.filter((subscription) => isTenantReceiver(subscription.url, 'clarity', input.tenantId));
  const destination = currentDestination(
    ours,
    (subscription) => subscription.url,
    (a, b) => Date.parse(a.createdAt) > Date.parse(b.createdAt),
  );
  const current = ours.filter((subscription) => subscription.url === destination);
  return {
    storefront: 'clarity',
    destination,
    checked: current.length,
    reactivated: [],
    missing: input.events.filter((event) => !current.some((subscription) => subscription.events.includes(event))),
    disabled: current.filter((subscription) => !subscription.active).map((subscription) => subscription.id),
    otherDestinations: distinct(ours.map((subscription) => subscription.url).filter((url) => url !== destination)),
  };
}

/** Attention codes of the check, most urgent first: the first that applies names the item. */
export const webhookAttentionCodes = {
  missing: 'storefront_webhooks_missing',
  disabled: 'storefront_webhooks_disabled',
  reactivated: 'storefront_webhooks_reactivated',
} as const;

export type WebhookAttention =
  | { action: 'resolve' }
  | {
      action: 'raise';
      code: (typeof webhookAttentionCodes)[keyof typeof webhookAttentionCodes];
      reason: string;
      fix: string;
      details: Record<string, unknown>;
    };

const storefrontNames: Record<StorefrontKind, string> = { bigcommerce: 'BigCommerce', clarity: 'Clarity' };

/**
 * The attention item a finding calls for: every repair and every problem is told to the
 * operator (what happened, what the check did, what is left to do); a healthy finding resolves
 * the item an earlier check raised.
 */
export function storefrontWebhookAttention(tenantId: string, finding: StorefrontWebhookFinding): WebhookAttention {
  const { reactivated, missing, disabled } = finding;
  if (reactivated.length === 0 && missing.length === 0 && disabled.length === 0) return { action: 'resolve' };
  const store = storefrontNames[finding.storefront];
  const receiver = finding.destination ?? `…/webhooks/${finding.storefront}/${tenantId}`;
  const register = `run POST /api/v1/tenants/${tenantId}/webhooks/register with {"publicBaseUrl": "<this deployment's public URL>"}`;
  const sentences: string[] = [];
  if (finding.destination === undefined) {
    sentences.push(
      `${store} has no webhooks pointing at this tenant's receiver (${receiver}): they were never registered, or were deleted, so the product hears of storefront changes only at each sweep.`,
    );
  } else if (missing.length > 0) {
    sentences.push(
      `${store} has no webhook to ${receiver} for ${missing.join(', ')} (deleted in the store or by another app), so the product hears of those events only at each sweep.`,
    );
  }
  if (disabled.length > 0) {
    sentences.push(
      `${store} disabled the subscription ${disabled.join(', ')} to ${receiver} after deliveries kept failing; it cannot be enabled again, so no events are sent and the product hears of changes only at each sweep.`,
    );
  }
  if (reactivated.length > 0) {
    sentences.push(
      `${store} had deactivated the webhook${reactivated.length === 1 ? '' : 's'} for ${reactivated.join(', ')} to ${receiver}, as it does after deliveries keep failing; the sweep re-activated ${reactivated.length === 1 ? 'it' : 'them'}. Events sent while ${reactivated.length === 1 ? 'it was' : 'they were'} off were not delivered: the sweep finds the orders and refunds changed meanwhile.`,
    );
  }
  const code =
    missing.length > 0
      ? webhookAttentionCodes.missing
      : disabled.length > 0
        ? webhookAttentionCodes.disabled
        : webhookAttentionCodes.reactivated;
  let fix: string;
  if (disabled.length > 0) {
    fix = `Find out why ${receiver} did not answer 2xx (an outage, TLS, a proxy, errors in the API's log), then ${register}: it subscribes again with a new secret and deletes the disabled subscription${disabled.length === 1 ? '' : 's'} once the new one is in place. The sweep does not do this itself: it does not know the deployment's public URL.`;
  } else if (missing.length > 0) {
    fix = `${capitalise(register)}: it creates the missing webhooks with the receiver's secret. The sweep does not do this itself: it does not know the deployment's public URL.`;
  } else {
    fix = `Nothing is left to repair. Find out why ${receiver} did not answer 2xx (an outage, TLS, a proxy, errors in the API's log) so it does not happen again. The next sweep that finds every webhook active resolves this item.`;
  }
  return {
    action: 'raise',
    code,
    reason: sentences.join(' '),
    fix,
    details: {
      storefront: finding.storefront,
      ...(finding.destination !== undefined && { destination: finding.destination }),
      checked: finding.checked,
      reactivated,
      missing,
      disabled,
      ...(finding.otherDestinations.length > 0 && { otherDestinations: finding.otherDestinations }),
    },
  };
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
