import { z } from 'zod';
import type { SmtpRelay } from '../connectors/alert-channels/channels.js';
import type { AlertWebhookRules } from '../connectors/alert-channels/webhook-endpoints.js';
import { parseEndpointPattern } from '../connectors/vendor-endpoints.js';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** The environment variables of alerts to a person (part of config/index.ts's schema; docs/alerts.md). */
export const alertVariables = {
  ALERTS_SMTP_HOST: optionalText.describe('SMTP relay that emails alerts; unset, email alert channels are kept pending and shown failing'),
  ALERTS_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587).describe('Port of the SMTP relay'),
  ALERTS_SMTP_SECURE: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .describe('Implicit TLS to the relay (port 465); otherwise STARTTLS, which production requires'),
  ALERTS_SMTP_USER: optionalText.describe('SMTP user, when the relay asks for one'),
  ALERTS_SMTP_PASSWORD: optionalText.describe('SMTP password (never logged nor stored in tenant settings)'),
  ALERTS_FROM: z.string().trim().min(3).default('Storefront sync <alerts@localhost>').describe('From address of alert emails'),
  ALERTS_PUBLIC_BASE_URL: optionalText.describe(
    "Base URL alerts link to (`{base}/console/tenants/{id}/attention`, `{base}/api/v1/...`); default the API's local address",
  ),
  ALERT_WEBHOOK_ALLOWED_ENDPOINTS: optionalText.describe(
    'Production: comma-separated `https://host[:port]` (`*.domain`: any sub-domain) alert webhooks may go to; unset, any public https host',
  ),
  ALERTS_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .describe('Tries per alert and channel before it is kept as failed (the admin API can retry it)'),
};

type AlertEnvironment = { [name in keyof typeof alertVariables]: z.output<(typeof alertVariables)[name]> };

/** Alerts as the installation configures them. */
export interface AlertsConfig {
  smtp: SmtpRelay | undefined;
  webhooks: AlertWebhookRules;
  publicBaseUrl: string;
  maxAttempts: number;
}

/** Reads the alert variables; problems are added to `problems`. */
export function alertsConfig(mode: 'sandbox' | 'production', env: AlertEnvironment, apiPort: number, problems: string[]): AlertsConfig {
  let allowed: string[] | undefined;
  if (env.ALERT_WEBHOOK_ALLOWED_ENDPOINTS !== undefined) {
    allowed = env.ALERT_WEBHOOK_ALLOWED_ENDPOINTS.split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const entry of allowed) {
      try {
        if (mode === 'production' && parseEndpointPattern(entry).protocol !== 'https:')
          problems.push(`ALERT_WEBHOOK_ALLOWED_ENDPOINTS: ${entry} must be https in production`);
      } catch (error) {
        problems.push(`ALERT_WEBHOOK_ALLOWED_ENDPOINTS: ${(error as Error).message}`);
      }
    }
  }
  const publicBaseUrl = (env.ALERTS_PUBLIC_BASE_URL ?? `http://localhost:${apiPort}`).replace(/\/+$/, '');
  if (!URL.canParse(publicBaseUrl)) problems.push('ALERTS_PUBLIC_BASE_URL: give an http(s) URL');
  return {
    smtp:
      env.ALERTS_SMTP_HOST === undefined
        ? undefined
        : {
            host: env.ALERTS_SMTP_HOST,
            port: env.ALERTS_SMTP_PORT,
            secure: env.ALERTS_SMTP_SECURE,
            requireTls: mode === 'production' && !env.ALERTS_SMTP_SECURE,
            user: env.ALERTS_SMTP_USER,
            password: env.ALERTS_SMTP_PASSWORD,
            from: env.ALERTS_FROM,
          },
    webhooks: { allowed, requireHttps: mode === 'production', refusePrivateAddresses: mode === 'production' },
    publicBaseUrl,
    maxAttempts: env.ALERTS_MAX_ATTEMPTS,
  };
}
