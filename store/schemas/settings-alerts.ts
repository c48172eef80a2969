// Tenant settings, `alerts`: who is told when something waits for a person, and how.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { checkCronExpression } from './cron.js';
import { httpUrl, oneOf } from './fields.js';

/**
 * What an alert is about (docs/alerts.md "Rules"):
 * - `parked`: an order, refund or inventory item parked in the attention queue;
 * - `webhooks`: the storefront's webhooks to this tenant deactivated, disabled or missing;
 * - `schedule_failed`: a scheduled run (order sweep, inventory reconcile) failed;
 * - `intacct_budget`: the month's Intacct API transactions crossed a threshold of the budget;
 * - `payout_variance`: a payout does not reconcile with the orders and fees it pays out, or a payment waits in no payout after `close.unpaidOutAfterDays`;
 * - `daily_summary`: once a day, the day's orders synced and parked, payouts posted and parked, and variances.
 */
export const alertRules = ['parked', 'webhooks', 'schedule_failed', 'intacct_budget', 'payout_variance', 'daily_summary'] as const;
export type AlertRule = (typeof alertRules)[number];

const channelId = z
  .string({ error: 'id must be text' })
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'id is 1-40 lower-case letters, digits and dashes, e.g. "ops-email"');

const channelRules = z
  .array(oneOf('rules', alertRules))
  .min(1, 'rules must name at least one rule (remove the channel to silence it)')
  .default([...alertRules])
  .describe('the rules this channel is told of; all by default');

const emailChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('email'),
  /** Recipients; the SMTP relay and the sender address are the installation's (ALERTS_SMTP_*), never a tenant's. */
  to: z
    .array(z.email({ error: 'to must hold email addresses' }))
    .min(1, 'to needs at least one address')
    .max(20),
  rules: channelRules,
});

const webhookChannelSchema = z.strictObject({
  id: channelId,
  kind: z.literal('webhook'),
  /**
   * A Slack-compatible incoming webhook or any JSON receiver. Every call is signed with the
   * tenant's alert signing secret (HMAC-SHA256); in production the URL must be https, public and
   * on ALERT_WEBHOOK_ALLOWED_ENDPOINTS when the installation sets that list.
   */
  url: httpUrl('url'),
  rules: channelRules,
});

export const alertChannelSchema = z.discriminatedUnion('kind', [emailChannelSchema, webhookChannelSchema], {
  error: 'kind must be email or webhook',
});
export type AlertChannel = z.output<typeof alertChannelSchema>;

export const alertsSchema = z.strictObject({
  /** Where alerts go; none (the default) keeps alerts in the outbox only, listed by the admin API as skipped. */
  channels: z
    .array(alertChannelSchema)
    .max(10, 'at most 10 alert channels')
    .default([])
    .refine((channels) => new Set(channels.map((channel) => channel.id)).size === channels.length, 'channel ids must be unique'),
  parked: z
    .strictObject({
      /** `immediate`: one alert per parked item; `digest`: parks within `digestMinutes` of the first go out as one message. */
      delivery: oneOf('delivery', ['immediate', 'digest']).default('immediate'),
      digestMinutes: z
        .number({ error: 'digestMinutes must be a number' })
        .int('digestMinutes must be whole minutes')
        .min(1, 'digestMinutes must be at least 1')
        .max(1440, 'digestMinutes must be at most 1440 (a day)')
        .default(15),
    })
    .prefault({}),
  dailySummary: z
    .strictObject({
      /**
       * When the day before is summed up and sent to the channels taking `daily_summary`, as a
       * cron in the tenant's time zone. The schedule is paused while no channel takes the rule.
       */
      schedule: z
        .string({ error: 'schedule must be text' })
        .superRefine((expression, context) => {
          const check = checkCronExpression(expression);
          if (!check.ok) context.addIssue({ code: 'custom', message: check.message });
        })
        .default('0 7 * * *'),
    })
    .prefault({}),
});
export type AlertSettings = z.output<typeof alertsSchema>;
