import { Router } from 'express';
import { stripeRoute, type StateRef } from '../context.js';
import { invalidRequest, noSuch } from '../errors.js';
import { listPage, listParams } from '../lists.js';
import { allowOnly, inRange, mergeMetadata, optionalEnum, optionalRange, optionalString, requiredString, type Params } from '../params.js';
import { renderEvent, renderWebhookEndpoint } from '../render.js';
import { newEndpointSecret } from '../webhooks.js';

/** The event types the sandbox emits, which endpoints may subscribe to (besides `*`). */
export const sandboxEventTypes = [
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
  'charge.refunded',
  'charge.updated',
  'refund.created',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
  'payout.created',
  'payout.paid',
  'payout.failed',
] as const;

function enabledEvents(params: Params): string[] {
  const value = params.enabled_events;
  const list =
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value
        : typeof value === 'object' && value !== null
          ? Object.values(value)
          : [];
  if (list.length === 0) throw invalidRequest('Missing required param: enabled_events.', 'enabled_events', 'parameter_missing');
  for (const type of list) {
    if (typeof type !== 'string' || (type !== '*' && !(sandboxEventTypes as readonly string[]).includes(type)))
      throw invalidRequest(`Invalid enabled_events: ${String(type)} is not a known event type.`, 'enabled_events');
  }
  return list as string[];
}

function webhookUrl(params: Params): string {
  const url = requiredString(params, 'url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidRequest('Invalid URL: URL must be publicly accessible.', 'url', 'url_invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalidRequest('Invalid URL: must be http or https.', 'url', 'url_invalid');
  return url;
}

/** Events (`/v1/events`) and webhook endpoints (`/v1/webhook_endpoints`): the secret is shown only when an endpoint is created. */
export function eventRoutes(state: StateRef): Router {
  const router = Router();
  const route = (handler: Parameters<typeof stripeRoute>[1]) => stripeRoute(state, handler);

  router.get(
    '/v1/events',
    route((params, _request, world) => {
      allowOnly(params, [...listParams, 'created', 'type', 'types', 'delivery_success']);
      const created = optionalRange(params, 'created');
      const type = optionalString(params, 'type');
      const pattern = type === undefined ? undefined : new RegExp(`^${type.replaceAll('.', '\\.').replaceAll('*', '.*')}$`);
      return {
        body: listPage(
          world,
          'events',
          params,
          '/v1/events',
          (event) => inRange(event.created, created) && (pattern === undefined || pattern.test(event.type)),
          (event) => renderEvent(event, null, 0),
        ),
      };
    }),
  );
  router.get(
    '/v1/events/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderEvent(world.get('events', String(request.params.id)), null, 0) };
    }),
  );

  router.post(
    '/v1/webhook_endpoints',
    route((params, _request, world) => {
      allowOnly(params, ['url', 'enabled_events', 'description', 'metadata', 'api_version', 'connect', 'expand']);
      const endpoint = world.insert('webhookEndpoints', {
        id: world.newId('we'),
        url: webhookUrl(params),
        enabledEvents: enabledEvents(params),
        secret: newEndpointSecret(),
        status: 'enabled',
        description: optionalString(params, 'description') ?? null,
        created: world.now(),
        metadata: mergeMetadata(params),
        apiVersion: optionalString(params, 'api_version') ?? null,
      });
      return { body: renderWebhookEndpoint(endpoint, true) };
    }),
  );
  router.get(
    '/v1/webhook_endpoints',
    route((params, _request, world) => {
      allowOnly(params, [...listParams]);
      return {
        body: listPage(
          world,
          'webhookEndpoints',
          params,
          '/v1/webhook_endpoints',
          () => true,
          (endpoint) => renderWebhookEndpoint(endpoint),
        ),
      };
    }),
  );
  router.get(
    '/v1/webhook_endpoints/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderWebhookEndpoint(world.get('webhookEndpoints', String(request.params.id))) };
    }),
  );
  router.post(
    '/v1/webhook_endpoints/:id',
    route((params, request, world) => {
      allowOnly(params, ['url', 'enabled_events', 'description', 'metadata', 'disabled', 'expand']);
      const endpoint = world.get('webhookEndpoints', String(request.params.id));
      if (params.url !== undefined) endpoint.url = webhookUrl(params);
      if (params.enabled_events !== undefined) endpoint.enabledEvents = enabledEvents(params);
      const disabled = optionalEnum(params, 'disabled', ['true', 'false'] as const);
      if (disabled !== undefined) endpoint.status = disabled === 'true' ? 'disabled' : 'enabled';
      endpoint.description = optionalString(params, 'description') ?? endpoint.description;
      endpoint.metadata = mergeMetadata(params, endpoint.metadata);
      return { body: renderWebhookEndpoint(endpoint) };
    }),
  );
  router.delete(
    '/v1/webhook_endpoints/:id',
    route((_params, request, world) => {
      const id = String(request.params.id);
      if (world.find('webhookEndpoints', id) === undefined) throw noSuch('webhook_endpoint', id);
      world.remove('webhookEndpoints', id);
      return { body: { id, object: 'webhook_endpoint', deleted: true } };
    }),
  );
  return router;
}
