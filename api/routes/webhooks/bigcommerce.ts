import { Router, type Request, type Response } from 'express';
import type { Logger } from '../../../config/logger.js';
import { HttpError } from '../../errors.js';
import type { WebhookReceiverDependencies } from '../../webhooks/ports.js';
import { bigCommerceEnvelope, readEnvelope, type InventoryChange } from './bigcommerce-envelope.js';
import {
  acceptDelivery,
  defaultStoreDeadlineMs,
  deliveryInFlightMs,
  StoreDeadline,
  unavailableRetryAfterSeconds,
} from './delivery-acceptance.js';
import { rawBodyOf, rawJsonBody, readJson, secretMatches, webhookTenantIdPattern } from './request-guards.js';

/**
 * The custom header the product sets when it registers a hook (`headers` of `POST /v3/hooks`);
 * BigCommerce sends it back verbatim on every callback.
 */
export const bigCommerceSecretHeader = 'X-Webhook-Secret';

/**
 * Recognises inventory callbacks caused by the product's own absolute writes (echoes), so the
 * stock push does not start a reconciliation of itself.
 */
export interface OwnInventoryWrites {
  isOwnWrite(tenantId: string, change: InventoryChange): Promise<boolean>;
}

export interface BigCommerceReceiverOptions {
  /** Largest body accepted; BigCommerce's callbacks are a few hundred bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  ownInventoryWrites?: OwnInventoryWrites;
  /**
   * How long one delivery may wait on the database, all its calls together, before it is
   * answered 503 (BigCommerce retries). Default 2 s: BigCommerce gives up after 5 s.
   */
  storeDeadlineMs?: number;
  logger?: Logger;
}

const unauthorised = () => new HttpError(401, 'unauthorized', 'webhook authentication failed');

/** A 503 BigCommerce retries; Retry-After is for anyone else reading it (BigCommerce keeps its own schedule). */
function retryLater(response: Response, retryAfterSeconds: number, code: string, message: string): HttpError {
  response.setHeader('Retry-After', String(retryAfterSeconds));
  return new HttpError(503, code, message);
}

const notAcceptedMessages = {
  store_unavailable: 'the delivery could not be recorded in time; retry later',
  delivery_in_progress: 'an earlier attempt of this delivery is still being accepted; retry later',
  dispatcher_unavailable: 'the event could not be accepted; retry later',
} as const;

/**
 * `POST /webhooks/bigcommerce/:tenantId`: authenticates the secret header against the
 * tenant's secrets (401 for a wrong secret and an unknown tenant alike), validates the
 * envelope (400 with the reason), acknowledges duplicates and unsynced scopes without
 * starting anything, and answers 200 once the dispatcher accepted the event (503 when it
 * could not, so BigCommerce retries). The database is waited for at most `storeDeadlineMs` per
 * delivery; past that the answer is 503 too.
 */
export function bigCommerceWebhookRoutes(deps: WebhookReceiverDependencies, options: BigCommerceReceiverOptions = {}): Router {
  const router = Router();
  const storeDeadlineMs = options.storeDeadlineMs ?? defaultStoreDeadlineMs;
  const inFlightMs = deliveryInFlightMs(storeDeadlineMs);

  const authenticate = async (request: Request, response: Response, deadline: StoreDeadline): Promise<string> => {
    const tenantId = String(request.params.tenantId);
    if (!webhookTenantIdPattern.test(tenantId)) throw unauthorised();
    const offered = request.get(bigCommerceSecretHeader);
    let authentic: boolean;
    try {
      authentic = secretMatches(offered, (await deadline.wait(() => deps.secrets.webhookSecrets(tenantId, 'bigcommerce'))) ?? []);
      // Cached secrets may predate a rotation or the tenant's re-enabling: asked once more before refusing.
      if (!authentic)
        authentic = secretMatches(
          offered,
          (await deadline.wait(() => deps.secrets.webhookSecrets(tenantId, 'bigcommerce', { fresh: true }))) ?? [],
        );
    } catch {
      throw retryLater(response, unavailableRetryAfterSeconds, 'unavailable', 'the webhook could not be checked; retry later');
    }
    if (!authentic) throw unauthorised();
    return tenantId;
  };

  const guards = rawJsonBody({
    limitBytes: options.maxBodyBytes ?? 64 * 1024,
    unsupportedMediaTypeMessage: 'webhooks must be sent as application/json',
    bodyless: 'pass-when-typed',
  });

  router.post('/webhooks/bigcommerce/:tenantId', ...guards, async (request, response) => {
    const deadline = new StoreDeadline(storeDeadlineMs);
    const tenantId = await authenticate(request, response, deadline);
    const json = readJson(rawBodyOf(request.body));
    if (!json.ok) throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${json.reason}`);
    const envelope = bigCommerceEnvelope.safeParse(json.value);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      throw new HttpError(
        400,
        'invalid_webhook',
        `invalid BigCommerce webhook: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const reading = readEnvelope(tenantId, envelope.data);
    if (reading.kind === 'invalid') throw new HttpError(400, 'invalid_webhook', `invalid BigCommerce webhook: ${reading.reason}`);
    if (reading.kind === 'ignored') {
      response.status(200).json({ outcome: 'ignored' });
      return;
    }
    const { event } = reading;
    // An echo that cannot be recognised (in half the deadline, so the delivery can still be
    // recorded) is dispatched: a needless reconciliation beats a lost change.
    const ownInventoryWrites = options.ownInventoryWrites;
    const inventory = reading.inventory;
    const ownWrite =
      inventory?.method === 'absolute' && ownInventoryWrites
        ? await deadline.wait(() => ownInventoryWrites.isOwnWrite(tenantId, inventory), storeDeadlineMs / 2).catch(() => false)
        : false;
    if (ownWrite) {
      response.status(200).json({ outcome: 'ignored' });
      return;
    }
    const acceptance = await acceptDelivery(deps, event, { deadline, inFlightMs, now: Date.now, logger: options.logger });
    if (!acceptance.accepted) {
      if (acceptance.error !== undefined)
        options.logger?.warn(
          { err: acceptance.error, tenantId, deliveryId: event.deliveryId, topic: event.topic },
          'bigcommerce webhook not accepted; BigCommerce retries',
        );
      throw retryLater(
        response,
        acceptance.retryAfterSeconds,
        acceptance.reason === 'delivery_in_progress' ? 'delivery_in_progress' : 'unavailable',
        notAcceptedMessages[acceptance.reason],
      );
    }
    response.status(200).json({ outcome: acceptance.outcome });
  });

  return router;
}
