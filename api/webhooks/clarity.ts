import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { clarityEventFromWire, clarityEventTypes, clarityHeaders } from '../../connectors/clarity/index.js';
import type { Logger } from '../../config/logger.js';
import { requestLogContext } from '../request-context.js';
import type { WebhookReceiverDependencies } from './ports.js';
import { toStorefrontEvent, unusableEntityIds } from './clarity-events.js';
import { clarityTimestampToleranceSeconds, isFreshClarityTimestamp, verifyClaritySignature } from './clarity-signature.js';
import { ReplayGuard } from './clarity-replay-guard.js';
import {
  acceptDelivery,
  defaultStoreDeadlineMs,
  deliveryInFlightMs,
  StoreDeadline,
  unavailableRetryAfterSeconds,
} from './delivery-acceptance.js';
import {
  acknowledge,
  checkAgainstTenantSecrets,
  describeIssues,
  replyError,
  replyRetryLater,
  webhookBodyErrors,
  type SecretsCheck,
} from './receiver-answers.js';
import { bodyParsedBeforeReceiver, rawBodyOf, rawJsonBody, readJson, webhookTenantIdPattern } from './request-guards.js';

export interface ClarityWebhookOptions {
  logger?: Logger;
  /** Largest accepted body; Clarity's order payloads are a few kB. 256 kB by default. */
  maxBodyBytes?: number;
  toleranceSeconds?: number;
  /** The clock for the timestamp window and the delivery log's in-flight window (tests move it). */
  now?: () => number;
  /** How long one delivery may wait on the database, all its calls together, before it is answered 503. Default 2 s. */
  storeDeadlineMs?: number;
}

/** Checked against when the tenant is unknown, so both paths cost the same and say the same. */
const decoySecret = `whsec_${randomBytes(32).toString('base64')}`;

/**
 * `POST /webhooks/clarity/:tenantId`: Clarity's signed deliveries (Standard Webhooks).
 *
 * Order of checks: content type (415) and size (413) before reading; then authenticity on the
 * raw bytes — headers present, timestamp within ±5 minutes, signature under one of the
 * tenant's secrets, not a replay of an accepted delivery — each failing as the same 401,
 * whether or not the tenant exists; then the envelope (400 with the reason); then the
 * delivery log (a redelivery is acknowledged without a second dispatch) and the dispatcher
 * (its failure is a 503 so Clarity retries). Nothing is dispatched for a request that fails
 * any check. The database is waited for at most `storeDeadlineMs` per delivery; past that the
 * answer is 503 with Retry-After.
 *
 * A redelivery by Clarity carries a new `webhook-timestamp`; the exact same id and timestamp
 * twice is a captured request played back, refused as 401.
 */
export function clarityWebhookRoutes(deps: WebhookReceiverDependencies, options: ClarityWebhookOptions = {}): Router {
  const router = Router();
  const now = options.now ?? Date.now;
  const toleranceSeconds = options.toleranceSeconds ?? clarityTimestampToleranceSeconds;
  const replays = new ReplayGuard(toleranceSeconds * 2 * 1000, now);
  const logger = options.logger;
  const storeDeadlineMs = options.storeDeadlineMs ?? defaultStoreDeadlineMs;
  const inFlightMs = deliveryInFlightMs(storeDeadlineMs);

  const guards = rawJsonBody({
    limitBytes: options.maxBodyBytes ?? 256 * 1024,
    unsupportedMediaTypeMessage: 'Content-Type must be application/json',
    bodyless: 'refuse',
  });

  router.post('/webhooks/clarity/:tenantId', ...guards, async (request, response) => {
    const tenantId = String(request.params.tenantId);
    if (bodyParsedBeforeReceiver(request.body)) {
      // A JSON parser mounted before this router consumed the raw bytes the signature covers.
      logger?.error({ path: request.path }, 'clarity webhook router is mounted after a body parser; signatures cannot be checked');
      return replyError(response, 500, 'misconfigured', 'the receiver is misconfigured');
    }
    const rawBody = rawBodyOf(request.body);
    const deadline = new StoreDeadline(storeDeadlineMs);
    const retryLater = (retryAfterSeconds: number, code: string, message: string) =>
      replyRetryLater(response, retryAfterSeconds, code, message);
    const refuse = (reason: string) => {
      logger?.info(
        { tenantId: webhookTenantIdPattern.test(tenantId) ? tenantId : undefined, reason, ...requestLogContext(response) },
        'clarity webhook refused',
      );
      replyError(response, 401, 'unauthorized', 'webhook authentication failed');
    };

    const webhookId = request.get(clarityHeaders.webhookId);
    const timestamp = request.get(clarityHeaders.webhookTimestamp);
    const signatureHeader = request.get(clarityHeaders.webhookSignature);
    if (webhookId === undefined || timestamp === undefined || signatureHeader === undefined || webhookId === '')
      return refuse('missing webhook headers');
    if (!isFreshClarityTimestamp(timestamp, now(), toleranceSeconds)) return refuse('timestamp outside the tolerance');
    // An unknown tenant is checked against a decoy, so its refusal costs what a known tenant's does.
    const verify = (secrets: readonly string[]) =>
      verifyClaritySignature({
        secrets: secrets.length > 0 ? [...secrets] : [decoySecret],
        webhookId,
        timestamp,
        rawBody,
        signatureHeader,
      });
    if (!webhookTenantIdPattern.test(tenantId)) {
      verify([]);
      return refuse('unknown tenant or no secret');
    }
    let checked: SecretsCheck;
    try {
      checked = await checkAgainstTenantSecrets(deps.secrets, tenantId, 'clarity', deadline, verify);
    } catch (error) {
      logger?.error({ err: error, tenantId }, 'clarity webhook secrets could not be read');
      return retryLater(unavailableRetryAfterSeconds, 'unavailable', 'the webhook could not be checked now; retry later');
    }
    if (!checked.known) return refuse('unknown tenant or no secret');
    if (!checked.authentic) return refuse('signature mismatch');
    const deliveryKey = `${tenantId}/${webhookId}`;
    if (replays.seen(deliveryKey, timestamp)) return refuse('replayed delivery');

    const json = readJson(rawBody);
    if (!json.ok) return replyError(response, 400, 'invalid_json', 'the body is not valid JSON');
    const payload = json.value;
    const type = typeof payload === 'object' && payload !== null && 'type' in payload ? payload.type : undefined;
    if (typeof type === 'string' && !(clarityEventTypes as readonly string[]).includes(type)) {
      // A type we never subscribed to: acknowledge so Clarity does not retry it for a day.
      replays.remember(deliveryKey, timestamp);
      logger?.warn({ tenantId, type }, 'clarity webhook of an unknown type ignored');
      return acknowledge(response, 'ignored');
    }
    const parsed = clarityEventFromWire.safeParse(payload);
    if (!parsed.success)
      return replyError(response, 400, 'invalid_event', `the event does not match the contract: ${describeIssues(parsed.error)}`);
    if (parsed.data.id !== webhookId) return replyError(response, 400, 'invalid_event', 'the event id does not match webhook-id');
    const unusable = unusableEntityIds(parsed.data);
    if (unusable !== undefined) return replyError(response, 400, 'invalid_event', `the event does not match the contract: ${unusable}`);

    const event = toStorefrontEvent(tenantId, webhookId, parsed.data);
    const acceptance = await acceptDelivery(deps, event, { deadline, inFlightMs, now, logger });
    if (!acceptance.accepted) {
      if (acceptance.reason === 'delivery_in_progress')
        return retryLater(
          acceptance.retryAfterSeconds,
          'delivery_in_progress',
          'an earlier attempt of this delivery is still being accepted; retry later',
        );
      logger?.error(
        { err: acceptance.error, tenantId, deliveryId: webhookId, topic: event.topic },
        'clarity webhook could not be dispatched',
      );
      return retryLater(acceptance.retryAfterSeconds, 'unavailable', 'the event could not be accepted now; retry later');
    }
    replays.remember(deliveryKey, timestamp);
    return acknowledge(response, acceptance.outcome);
  });

  router.use('/webhooks/clarity', webhookBodyErrors(logger, 'clarity'));
  return router;
}
