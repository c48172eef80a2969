import { Router, type Request, type Response } from 'express';
import type { Logger } from '../../config/logger.js';
import { HttpError } from '../errors.js';
import { requestLogContext } from '../request-context.js';
import type { WebhookReceiverDependencies } from './ports.js';
import { checkAgainstTenantSecrets } from './receiver-answers.js';
import { bigCommerceEnvelope, readEnvelope, type InventoryChange } from './bigcommerce-envelope.js';
import {
  acceptDelivery,
  defaultStoreDeadlineMs,
  deliveryInFlightMs,
  StoreDeadline,
  unavailableRetryAfterSeconds,
} from './delivery-acceptance.js';
import { rawBodyOf, rawJsonBody, readJson, secretMatches, webhookTenantIdPattern } from './request-guards.js';
import {
  isFreshWebhookTimestamp,
  standardWebhookHeaders,
  standardWebhookToleranceSeconds,
  verifyStandardWebhookSignature,
} from './standard-webhooks.js';

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

/**
 * Recognises `store/product/created` callbacks for products the product itself created (CatalogSync,
 * from Intacct items flagged for the web), so they start no item intake back into Intacct.
 * `atMostMs` bounds the wait for a create whose answer the webhook overtook.
 */
export interface OwnProductCreations {
  isOwnCreation(tenantId: string, productId: string, atMostMs: number): Promise<boolean>;
}

export interface BigCommerceReceiverOptions {
  /** Largest body accepted; BigCommerce's callbacks are a few hundred bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  ownInventoryWrites?: OwnInventoryWrites;
  ownProductCreations?: OwnProductCreations;
  /**
   * How long one delivery may wait on the database, all its calls together, before it is
   * answered 503 (BigCommerce retries). Default 2 s: BigCommerce gives up after 5 s.
   */
  storeDeadlineMs?: number;
  logger?: Logger;
  /** How far a signed delivery's `webhook-timestamp` may be from our clock. Default 300 s. */
  toleranceSeconds?: number;
  /** The clock for that window (tests move it). */
  now?: () => number;
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
 * tenant's secrets (401 for a wrong secret and an unknown tenant alike) and, when BigCommerce
 * signs the delivery, its timestamp window and its signature under the tenant's client secret
 * (401 for a stale or forged one, on the raw bytes, in constant time), validates the
 * envelope (400 with the reason), acknowledges duplicates and unsynced scopes without
 * starting anything, and answers 200 once the dispatcher accepted the event (503 when it
 * could not, so BigCommerce retries). The database is waited for at most `storeDeadlineMs` per
 * delivery; past that the answer is 503 too.
 */
export function bigCommerceWebhookRoutes(deps: WebhookReceiverDependencies, options: BigCommerceReceiverOptions = {}): Router {
  const router = Router();
  const storeDeadlineMs = options.storeDeadlineMs ?? defaultStoreDeadlineMs;
  const inFlightMs = deliveryInFlightMs(storeDeadlineMs);

  const now = options.now ?? Date.now;
  const toleranceSeconds = options.toleranceSeconds ?? standardWebhookToleranceSeconds;

  /**
   * The secret header must match; when the delivery is signed (Standard Webhooks headers), its
   * timestamp must also be fresh and, for a tenant whose client secret is stored, its signature
   * right. A store that does not sign is checked by the header alone.
   */
  const authenticate = async (request: Request, response: Response, deadline: StoreDeadline): Promise<string> => {
    const tenantId = String(request.params.tenantId);
    if (!webhookTenantIdPattern.test(tenantId)) throw unauthorised();
    const offered = request.get(bigCommerceSecretHeader);
    const signatureHeader = request.get(standardWebhookHeaders.signature);
    const webhookId = request.get(standardWebhookHeaders.id);
    const timestamp = request.get(standardWebhookHeaders.timestamp);
    const refuse = (reason: string) => {
      options.logger?.info({ tenantId, reason, ...requestLogContext(response) }, 'bigcommerce webhook refused');
      return unauthorised();
    };
    if (signatureHeader !== undefined) {
      if (!webhookId || timestamp === undefined) throw refuse('signed without webhook-id or webhook-timestamp');
      if (!isFreshWebhookTimestamp(timestamp, now(), toleranceSeconds)) throw refuse('timestamp outside the tolerance');
    }
    let header: { authentic: boolean };
    let signature: { known: boolean; authentic: boolean } | undefined;
    try {
      header = await checkAgainstTenantSecrets(deps.secrets, tenantId, 'bigcommerce', deadline, (secrets) =>
        secretMatches(offered, secrets),
      );
      if (header.authentic && signatureHeader !== undefined && webhookId && timestamp !== undefined && deps.signingSecrets) {
        const rawBody = rawBodyOf(request.body);
        signature = await checkAgainstTenantSecrets(deps.signingSecrets, tenantId, 'bigcommerce', deadline, (secrets) =>
          verifyStandardWebhookSignature({
            // BigCommerce keys the HMAC with the client secret's own bytes (Standard Webhooks libraries are given its base64).
            keys: secrets.map((secret) => Buffer.from(secret, 'utf8')),
            webhookId,
            timestamp,
            rawBody,
            signatureHeader,
          }),
        );
      }
    } catch {
      throw retryLater(response, unavailableRetryAfterSeconds, 'unavailable', 'the webhook could not be checked; retry later');
    }
    if (!header.authentic) throw refuse('wrong secret header or unknown tenant');
    if (signature?.known === true && !signature.authentic) throw refuse('signature mismatch');
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
    const ownProductCreations = options.ownProductCreations;
    const ownWrite =
      inventory?.method === 'absolute' && ownInventoryWrites
        ? await deadline.wait(() => ownInventoryWrites.isOwnWrite(tenantId, inventory), storeDeadlineMs / 2).catch(() => false)
        : event.topic === 'store/product/created' && ownProductCreations
          ? await deadline
              .wait(() => ownProductCreations.isOwnCreation(tenantId, event.entityId, storeDeadlineMs / 2), storeDeadlineMs / 2)
              .catch(() => false)
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
