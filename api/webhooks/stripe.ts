import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Logger } from '../../config/logger.js';
import { requestLogContext } from '../request-context.js';
import { defaultStoreDeadlineMs, StoreDeadline, unavailableRetryAfterSeconds } from './delivery-acceptance.js';
import { payoutStartingStripeEvents } from './payout-dispatcher.js';
import type { StripeWebhookDependencies } from './ports.js';
import {
  acknowledge,
  checkAgainstTenantSecrets,
  type SecretsCheck,
  describeIssues,
  replyError,
  replyRetryLater,
  webhookBodyErrors,
} from './receiver-answers.js';
import { bodyParsedBeforeReceiver, rawBodyOf, rawJsonBody, readJson, webhookTenantIdPattern } from './request-guards.js';
import { eventTypeMismatch, isRecordedStripeEventType, stripeEventSchema, toProcessorEvent } from './stripe-events.js';
import {
  isFreshStripeTimestamp,
  parseStripeSignatureHeader,
  stripeSignatureHeader,
  stripeTimestampToleranceSeconds,
  verifyStripeSignature,
} from './stripe-signature.js';

export interface StripeWebhookOptions {
  logger?: Logger;
  /** Largest accepted body; Stripe's payout and dispute events are a few kB. 256 kB by default. */
  maxBodyBytes?: number;
  toleranceSeconds?: number;
  /** The clock of the timestamp window (tests move it). */
  now?: () => number;
  /** How long one delivery may wait on the database, all its calls together, before it is answered 503. Default 2 s. */
  storeDeadlineMs?: number;
}

/** Checked against when the tenant is unknown or has no signing secret, so every refusal costs and says the same. */
const decoySecret = `whsec_${randomBytes(24).toString('base64')}`;

/**
 * `POST /webhooks/stripe/:tenantId`: events from the tenant's Stripe webhook endpoint.
 *
 * Order of checks: content type (415) and size (413) before reading; then authenticity on the
 * raw bytes — a `Stripe-Signature` with `t` and a `v1`, `t` within 5 minutes, a `v1` matching
 * the HMAC under the tenant's signing secret — each failing as the same 401, whether or not
 * the tenant exists, and nothing recorded; then the event (400 with the reason). Types the
 * product does not act on are acknowledged `ignored` without touching the database, so no copy
 * of one is ever told to retry. Recorded types (`payout.paid`, `payout.failed`,
 * `payout.reconciliation_completed`, `charge.dispute.*`) are kept once per event id: a
 * redelivery answers `duplicate`. The payout types then start (or tell) the payout's
 * PayoutReconcile through `deps.payouts`, once per event (see `payoutEventDispatcher`). Only the database failing or outlasting `storeDeadlineMs` is
 * a 503 with Retry-After, so Stripe delivers again and the event is not lost.
 */
export function stripeWebhookRoutes(deps: StripeWebhookDependencies, options: StripeWebhookOptions = {}): Router {
  const router = Router();
  const now = options.now ?? Date.now;
  const toleranceSeconds = options.toleranceSeconds ?? stripeTimestampToleranceSeconds;
  const logger = options.logger;
  const storeDeadlineMs = options.storeDeadlineMs ?? defaultStoreDeadlineMs;
  const guards = rawJsonBody({
    limitBytes: options.maxBodyBytes ?? 256 * 1024,
    unsupportedMediaTypeMessage: 'Content-Type must be application/json',
    bodyless: 'refuse',
  });

  router.post('/webhooks/stripe/:tenantId', ...guards, async (request, response) => {
    const tenantId = String(request.params.tenantId);
    if (bodyParsedBeforeReceiver(request.body)) {
      logger?.error({ path: request.path }, 'stripe webhook router is mounted after a body parser; signatures cannot be checked');
      return replyError(response, 500, 'misconfigured', 'the receiver is misconfigured');
    }
    const rawBody = rawBodyOf(request.body);
    const deadline = new StoreDeadline(storeDeadlineMs);
    const retryLater = (message: string) => replyRetryLater(response, unavailableRetryAfterSeconds, 'unavailable', message);
    const refuse = (reason: string) => {
      logger?.info(
        { tenantId: webhookTenantIdPattern.test(tenantId) ? tenantId : undefined, reason, ...requestLogContext(response) },
        'stripe webhook refused',
      );
      replyError(response, 401, 'unauthorized', 'webhook authentication failed');
    };

    const header = parseStripeSignatureHeader(request.get(stripeSignatureHeader) ?? '');
    if (header === undefined) return refuse('missing or unreadable Stripe-Signature');
    if (!isFreshStripeTimestamp(header.timestamp, now(), toleranceSeconds)) return refuse('timestamp outside the tolerance');
    // A tenant without a signing secret is checked against a decoy, so its refusal costs what a known tenant's does.
    const verify = (secrets: readonly string[]) =>
      verifyStripeSignature({ secrets: secrets.length > 0 ? [...secrets] : [decoySecret], header, rawBody });
    if (!webhookTenantIdPattern.test(tenantId)) {
      verify([]);
      return refuse('unknown tenant or no signing secret');
    }
    let checked: SecretsCheck;
    try {
      checked = await checkAgainstTenantSecrets(deps.secrets, tenantId, 'stripe', deadline, verify);
    } catch (error) {
      logger?.error({ err: error, tenantId }, 'stripe webhook secrets could not be read');
      return retryLater('the webhook could not be checked now; retry later');
    }
    if (!checked.known) return refuse('unknown tenant or no signing secret');
    if (!checked.authentic) return refuse('signature mismatch');

    const json = readJson(rawBody);
    if (!json.ok) return replyError(response, 400, 'invalid_json', 'the body is not valid JSON');
    const payload = json.value;
    const type = typeof payload === 'object' && payload !== null && 'type' in payload ? payload.type : undefined;
    if (typeof type === 'string' && !isRecordedStripeEventType(type)) return acknowledge(response, 'ignored');
    const parsed = stripeEventSchema.safeParse(payload);
    if (!parsed.success)
      return replyError(
        response,
        400,
        'invalid_event',
        `the event is not a Stripe payout or dispute event: ${describeIssues(parsed.error)}`,
      );
    const mismatch = eventTypeMismatch(parsed.data);
    if (mismatch !== undefined)
      return replyError(response, 400, 'invalid_event', `the event is not a Stripe payout or dispute event: ${mismatch}`);

    const event = toProcessorEvent(tenantId, parsed.data);
    let outcome: 'recorded' | 'duplicate';
    try {
      outcome = await deadline.wait(() => deps.events.record(event, new Date(now())));
    } catch (error) {
      logger?.error({ err: error, tenantId, eventId: event.eventId, type: event.type }, 'stripe webhook event could not be recorded');
      return retryLater('the event could not be accepted now; retry later');
    }
    // A payout paid, failed or reconciled starts (or tells) its PayoutReconcile; failing that, Stripe delivers again.
    if (deps.payouts !== undefined && event.subject.kind === 'payout' && payoutStartingStripeEvents.has(event.type)) {
      try {
        await deps.payouts.dispatch(event, outcome);
      } catch (error) {
        logger?.error({ err: error, tenantId, eventId: event.eventId, type: event.type }, 'stripe payout event could not be dispatched');
        return retryLater('the event could not be handed on now; retry later');
      }
    }
    return acknowledge(response, outcome);
  });

  router.use('/webhooks/stripe', webhookBodyErrors(logger, 'stripe'));
  return router;
}
