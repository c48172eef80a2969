import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AlertChannels } from '../../connectors/alert-channels/channels.js';
import { composeAlertMessage } from '../../decisions/alert-message.js';
import { listAlerts, retryFailedAlert, type AlertDocument } from '../../store/alert-outbox.js';
import { loadCredentials, saveCredentials } from '../../store/credentials.js';
import { alertRules, type AlertSettings } from '../../store/schemas/settings.js';
import { readSettings } from '../../store/settings.js';
import { HttpError } from '../errors.js';
import { audit, pageQuery, tenantParams, visibleTenant, type AdminDependencies } from './context.js';
import { notFoundError, type DocumentedRouter } from './documented-router.js';

/** Settings errors for alert webhook URLs this installation will not call (production: public https only). */
export function refusedAlertWebhooks(channels: AlertChannels | undefined, alerts: AlertSettings): Array<{ path: string; message: string }> {
  if (channels === undefined) return [];
  return alerts.channels.flatMap((channel, index) => {
    if (channel.kind !== 'webhook') return [];
    const reason = channels.webhookRefusal(channel.url);
    const path = `alerts.channels.${index}.url`;
    return reason === undefined ? [] : [{ path, message: `${path}: ${reason}` }];
  });
}

const iso = (date: Date | undefined) => date?.toISOString();

const alertView = (alert: AlertDocument) => ({
  id: String(alert._id),
  rule: alert.rule,
  state: alert.state,
  subject: alert.subject,
  code: alert.code,
  reason: alert.reason,
  fix: alert.fix,
  raisedAt: iso(alert.raisedAt),
  updatedAt: iso(alert.updatedAt),
  ...(alert.skippedBecause !== undefined && { skippedBecause: alert.skippedBecause }),
  ...(alert.state === 'pending' && { nextAttemptAt: iso(alert.nextAttemptAt) }),
  deliveries: alert.deliveries.map((delivery) => ({
    channelId: delivery.channelId,
    kind: delivery.kind,
    state: delivery.state,
    attempts: delivery.attempts,
    ...(delivery.lastAnswer !== undefined && { lastAnswer: delivery.lastAnswer }),
    ...(delivery.state === 'pending' && { nextAttemptAt: iso(delivery.nextAttemptAt) }),
    ...(delivery.sentAt !== undefined && { sentAt: iso(delivery.sentAt) }),
  })),
});

const alertStates = ['pending', 'sent', 'failed', 'skipped'] as const;

/**
 * The alerts to a person (docs/alerts.md): what the outbox holds and how each delivery went, a
 * retry of a failed one, a test message per channel with the server's answer, and the secret
 * alert webhooks are signed with. Channels themselves are settings (`alerts.channels`).
 */
export function registerAlertRoutes(router: DocumentedRouter, deps: AdminDependencies): void {
  router.add({
    method: 'get',
    path: '/tenants/:tenantId/alerts',
    summary: 'Alerts raised for the tenant, with each channel’s delivery state and last server answer',
    tag: 'alerts',
    role: 'viewer',
    params: tenantParams,
    query: z.object({ state: z.enum(alertStates).optional(), rule: z.enum(alertRules).optional(), ...pageQuery }),
    response: z.object({ alerts: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional() }),
    handler: async ({ params, query, principal }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const { limit, cursor, ...filter } = query;
      const page = await listAlerts(deps.db, params.tenantId, filter, { limit, cursor });
      return { alerts: page.items.map(alertView), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/alerts/:alertId/retry',
    summary: 'Send a failed alert again on the channels that failed, from the first attempt (409 unless it failed)',
    tag: 'alerts',
    role: 'operator',
    params: tenantParams.extend({ alertId: z.string().min(1).max(64) }),
    response: z.object({ alert: z.record(z.string(), z.unknown()) }),
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      const retried = await retryFailedAlert(deps.db, params.tenantId, params.alertId);
      if (retried === null) throw new HttpError(409, 'not_failed', `alert ${params.alertId} is not a failed alert of this tenant`);
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'alert.retry', target: `alert:${params.alertId}` },
      );
      return { alert: alertView(retried) };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/alerts/channels/:channelId/test',
    summary: 'Send a test alert through one channel now and answer what its server said (200 with ok:false when it refused)',
    tag: 'alerts',
    role: 'operator',
    params: tenantParams.extend({ channelId: z.string().min(1).max(40) }),
    response: z.object({ ok: z.boolean(), channelId: z.string(), kind: z.enum(['email', 'webhook']), answer: z.string() }),
    handler: async ({ params, principal, requestId }) => {
      await visibleTenant(deps.db, principal, params.tenantId);
      if (deps.alerts === undefined)
        throw new HttpError(503, 'alerts_not_configured', 'this API process was started without alert channels (AdminDependencies.alerts)');
      const settings = await readSettings(deps.db, params.tenantId);
      const channel = settings?.settings.alerts.channels.find((candidate) => candidate.id === params.channelId);
      if (channel === undefined) throw notFoundError(`alert channel ${params.channelId}`);
      const message = composeAlertMessage(
        `test-${randomBytes(6).toString('hex')}`,
        [
          {
            id: 'test',
            tenantId: params.tenantId,
            rule: 'parked',
            subject: { entity: 'order', externalId: 'TEST' },
            code: 'test_alert',
            reason: `This is a test of the alert channel "${channel.id}", sent by ${principal.keyId}; no order is parked.`,
            fix: 'Nothing to fix: if you read this, the channel works.',
            raisedAt: new Date(),
          },
        ],
        deps.alerts.publicBaseUrl,
      );
      const answer =
        channel.kind === 'email'
          ? await deps.alerts.channels.email(channel.to, message)
          : await deps.alerts.channels.webhook(
              channel.url,
              message,
              (await loadCredentials(deps.db, deps.cipher, params.tenantId, 'alerts'))?.signingSecret,
            );
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: params.tenantId, action: 'alert.test', target: `alert-channel:${channel.id}`, details: { ok: answer.ok } },
      );
      return { ok: answer.ok, channelId: channel.id, kind: channel.kind, answer: answer.answer };
    },
  });

  router.add({
    method: 'post',
    path: '/tenants/:tenantId/alerts/signing-secret',
    summary: 'Make a new secret for signing alert webhooks and answer it (this once only); the old one stops working',
    tag: 'alerts',
    role: 'admin',
    params: tenantParams,
    response: z.object({ signingSecret: z.string() }),
    successStatus: 201,
    handler: async ({ params, principal, requestId }) => {
      const tenant = await visibleTenant(deps.db, principal, params.tenantId);
      const signingSecret = `whsec_${randomBytes(32).toString('base64url')}`;
      await saveCredentials(deps.db, deps.cipher, tenant._id, 'alerts', { signingSecret });
      await audit(
        deps.db,
        { principal, requestId },
        { tenantId: tenant._id, action: 'alerts.signing-secret', target: `credentials:${tenant._id}:alerts` },
      );
      return { signingSecret };
    },
  });
}
