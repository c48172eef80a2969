import type { Db } from 'mongodb';
import type { Logger } from '../config/logger.js';
import type { AlertChannels, AlertMessage, ChannelAnswer } from '../connectors/alert-channels/channels.js';
import { composeAlertMessage, type AlertFacts } from '../decisions/alert-message.js';
import {
  claimAlert,
  findDueAlerts,
  findPendingAlerts,
  saveAlertProgress,
  type AlertDelivery,
  type AlertDocument,
} from '../store/alert-outbox.js';
import { findAttentionItem, type AttentionItem } from '../store/attention.js';
import type { CredentialCipher } from '../store/credential-cipher.js';
import { loadCredentials } from '../store/credentials.js';
import type { AlertChannel, AlertSettings } from '../store/schemas/settings.js';
import { readSettings } from '../store/settings.js';

/**
 * The alert outbox's sender. It runs in the worker process beside housekeeping, not as a
 * workflow: it needs the SMTP password, which must never enter a workflow's payloads or history;
 * it has no order to wait for; and a loop over a MongoDB outbox is what the worker already does
 * for expiry. Every worker runs it; a claim with a lease keeps two from sending the same alert.
 */
export interface AlertSenderOptions {
  db: Db;
  channels: AlertChannels;
  cipher: CredentialCipher;
  /** Base of the links in alerts (ALERTS_PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** Tries per alert and channel before it is kept as failed. */
  maxAttempts: number;
  /** Wait after the first failed try, doubling with each further one up to `maxMs`. */
  backoff?: { firstMs: number; maxMs: number };
  /** How long a sender holds the alerts it works on; longer than a pass takes. */
  leaseMs?: number;
}

/** What one pass did, by alert. */
export interface AlertSenderPass {
  sent: number;
  failed: number;
  skipped: number;
  /** Alerts still pending after the pass: held for a digest or waiting to try again. */
  pending: number;
}

const defaultBackoff = { firstMs: 30_000, maxMs: 30 * 60_000 };

/** When the n-th failed try (1-based) is followed by the next. */
export function nextTryAt(now: Date, attempts: number, backoff = defaultBackoff): Date {
  return new Date(now.getTime() + Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempts - 1)));
}

const factsOf = (alert: AlertDocument): AlertFacts => ({
  id: String(alert._id),
  tenantId: alert.tenantId,
  rule: alert.rule,
  subject: alert.subject,
  code: alert.code,
  reason: alert.reason,
  fix: alert.fix,
  ...(alert.details !== undefined && { details: alert.details }),
  raisedAt: alert.raisedAt,
});

/** The alert's state from its deliveries: sent when all are, failed when one failed and none waits. */
function settle(alert: AlertDocument): void {
  const pending = alert.deliveries.filter((delivery) => delivery.state === 'pending');
  if (pending.length > 0) {
    alert.state = 'pending';
    alert.nextAttemptAt = new Date(Math.min(...pending.map((delivery) => delivery.nextAttemptAt.getTime())));
  } else alert.state = alert.deliveries.some((delivery) => delivery.state === 'failed') ? 'failed' : 'sent';
}

/**
 * Why an attention alert not yet sent anywhere is no longer worth sending: its item was resolved,
 * or parked again for another reason (which raised an alert of its own).
 */
function staleBecause(alert: AlertDocument, item: AttentionItem | null): string | undefined {
  if (item === null || item.state === 'resolved') return 'the item was resolved before the alert was sent';
  if (item.code !== alert.code || item.reason !== alert.reason) return 'the item was parked again for another reason';
  return undefined;
}

/** One tenant's share of a pass: plan, drop what is stale, send per channel (a digest as one message). */
async function sendTenantAlerts(
  options: AlertSenderOptions,
  tenantId: string,
  claimed: AlertDocument[],
  now: Date,
  logger: Logger | undefined,
): Promise<AlertDocument[]> {
  const { db } = options;
  const settings: AlertSettings | undefined = (await readSettings(db, tenantId))?.settings.alerts;
  const working: AlertDocument[] = [];
  const skip = (alert: AlertDocument, because: string) => {
    alert.state = 'skipped';
    alert.skippedBecause = because;
  };
  for (const alert of claimed) {
    if (!alert.planned) {
      const channels = settings?.channels.filter((channel) => channel.rules.includes(alert.rule)) ?? [];
      alert.planned = true;
      if (channels.length === 0) {
        skip(alert, `no alert channel of the tenant takes "${alert.rule}" alerts`);
        continue;
      }
      const digest = alert.rule === 'parked' && settings?.parked.delivery === 'digest';
      const firstTry = digest ? new Date(alert.raisedAt.getTime() + settings.parked.digestMinutes * 60_000) : now;
      alert.deliveries = channels.map((channel) => ({
        channelId: channel.id,
        kind: channel.kind,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: firstTry,
      }));
      settle(alert);
    }
    working.push(alert);
  }

  // A due parked alert in digest mode takes every other pending parked alert of the tenant along.
  const digesting = settings?.parked.delivery === 'digest';
  const isDue = (alert: AlertDocument) => alert.state === 'pending' && alert.nextAttemptAt <= now;
  if (digesting && working.some((alert) => alert.rule === 'parked' && isDue(alert))) {
    for (const companion of await findPendingAlerts(db, tenantId, 'parked', now)) {
      if (working.some((alert) => alert._id.equals(companion._id))) continue;
      const held = await claimAlert(db, companion._id, now, new Date(now.getTime() + (options.leaseMs ?? 60_000)));
      if (held) working.push(held);
    }
  }
  const inDigest = (alert: AlertDocument) => digesting && alert.rule === 'parked';

  for (const alert of working) {
    if (alert.state !== 'pending' || alert.deliveries.some((delivery) => delivery.state === 'sent')) continue;
    if (alert.rule !== 'parked' && alert.rule !== 'webhooks') continue;
    const item = await findAttentionItem(db, {
      tenantId,
      entity: alert.subject.entity as AttentionItem['entity'],
      externalId: alert.subject.externalId,
    });
    const because = staleBecause(alert, item);
    if (because !== undefined) skip(alert, because);
  }

  let secret: Promise<string | undefined> | undefined;
  const signingSecret = () =>
    (secret ??= loadCredentials(db, options.cipher, tenantId, 'alerts').then((credentials) => credentials?.signingSecret));
  const digestDue = working.some((alert) => inDigest(alert) && isDue(alert));
  const channelIds = new Set(working.flatMap((alert) => alert.deliveries.map((delivery) => delivery.channelId)));
  for (const channelId of channelIds) {
    const channel = settings?.channels.find((candidate) => candidate.id === channelId);
    const waiting = working.flatMap((alert) => {
      const delivery = alert.deliveries.find((candidate) => candidate.channelId === channelId);
      if (alert.state !== 'pending' || delivery?.state !== 'pending') return [];
      const due = delivery.nextAttemptAt <= now || (inDigest(alert) && digestDue);
      return due ? [{ alert, delivery }] : [];
    });
    const batches = [
      ...waiting.filter(({ alert }) => !inDigest(alert)).map((entry) => [entry]),
      ...(waiting.some(({ alert }) => inDigest(alert)) ? [waiting.filter(({ alert }) => inDigest(alert))] : []),
    ];
    for (const batch of batches) {
      const message = composeAlertMessage(
        batch.length === 1 ? String(batch[0]!.alert._id) : `digest-${String(batch[0]!.alert._id)}-${batch.length}`,
        batch.map(({ alert }) => factsOf(alert)),
        options.publicBaseUrl,
      );
      const answer = channel
        ? await sendToChannel(options.channels, channel, message, signingSecret)
        : { ok: false, retryable: false, answer: 'the channel is no longer in the tenant settings' };
      for (const { delivery } of batch) record(delivery, answer, now, options);
      if (!answer.ok)
        logger?.warn(
          { tenantId, channelId, alerts: batch.length, answer: answer.answer, retryable: answer.retryable },
          'alert not delivered',
        );
    }
  }
  for (const alert of working) if (alert.state === 'pending') settle(alert);
  return working;
}

/** Sends one message to one channel; the answer is the server's. */
export async function sendToChannel(
  channels: AlertChannels,
  channel: AlertChannel,
  message: AlertMessage,
  signingSecret: () => Promise<string | undefined>,
): Promise<ChannelAnswer> {
  return channel.kind === 'email' ? channels.email(channel.to, message) : channels.webhook(channel.url, message, await signingSecret());
}

function record(delivery: AlertDelivery, answer: ChannelAnswer, now: Date, options: AlertSenderOptions): void {
  delivery.attempts += 1;
  delivery.lastAnswer = answer.answer;
  if (answer.ok) {
    delivery.state = 'sent';
    delivery.sentAt = now;
  } else if (!answer.retryable || delivery.attempts >= options.maxAttempts) {
    delivery.state = 'failed';
  } else {
    delivery.nextAttemptAt = nextTryAt(now, delivery.attempts, options.backoff);
  }
}

/** One pass over the outbox: every due alert planned, sent or rescheduled, and released. */
export async function runAlertSenderPass(options: AlertSenderOptions, logger?: Logger, now = new Date()): Promise<AlertSenderPass> {
  const until = new Date(now.getTime() + (options.leaseMs ?? 60_000));
  const claimed: AlertDocument[] = [];
  for (const due of await findDueAlerts(options.db, now, 200)) {
    const held = await claimAlert(options.db, due._id, now, until);
    if (held) claimed.push(held);
  }
  const byTenant = new Map<string, AlertDocument[]>();
  for (const alert of claimed) byTenant.set(alert.tenantId, [...(byTenant.get(alert.tenantId) ?? []), alert]);
  const pass: AlertSenderPass = { sent: 0, failed: 0, skipped: 0, pending: 0 };
  for (const [tenantId, alerts] of byTenant) {
    const worked = await sendTenantAlerts(options, tenantId, alerts, now, logger);
    for (const alert of worked) {
      await saveAlertProgress(options.db, alert, now);
      pass[alert.state] += 1;
    }
  }
  return pass;
}

/**
 * Runs {@link runAlertSenderPass} now and then every `everyMs` (a pass never overlaps the next).
 * A failed pass is logged and the next one tries again; what was claimed is released when its
 * lease ends.
 */
export function startAlertSender(options: AlertSenderOptions & { logger: Logger; everyMs?: number }): { stop(): Promise<void> } {
  const everyMs = options.everyMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const pass = () => {
    current = runAlertSenderPass(options, options.logger).then(
      (result) => {
        if (result.sent + result.failed + result.skipped > 0) options.logger.info({ alerts: result }, 'alert sender pass');
      },
      (error: unknown) => options.logger.warn({ err: error }, 'alert sender pass failed; the next one tries again'),
    );
    void current.then(() => {
      if (!stopped) timer = setTimeout(pass, everyMs);
    });
  };
  pass();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
