import { describe, expect, it } from 'vitest';
import { alertsConfig } from '../../config/alerts.js';
import { loadConfig } from '../../config/index.js';

const env = {
  ALERTS_SMTP_HOST: 'smtp.example.com',
  ALERTS_SMTP_PORT: 587,
  ALERTS_SMTP_SECURE: false,
  ALERTS_SMTP_USER: 'alerts',
  ALERTS_SMTP_PASSWORD: 'smtp-password',
  ALERTS_FROM: 'Sync <alerts@example.com>',
  ALERTS_PUBLIC_BASE_URL: 'https://sync.example.com/',
  ALERT_WEBHOOK_ALLOWED_ENDPOINTS: undefined,
  ALERTS_MAX_ATTEMPTS: 10,
};

describe('alerts configuration', () => {
  it('when production names an SMTP relay, then STARTTLS is required, webhooks must be public https, and links drop the trailing slash', () => {
    const problems: string[] = [];
    expect(alertsConfig('production', env, 3000, problems)).toEqual({
      smtp: {
        host: 'smtp.example.com',
        port: 587,
        secure: false,
        requireTls: true,
        user: 'alerts',
        password: 'smtp-password',
        from: 'Sync <alerts@example.com>',
      },
      webhooks: { allowed: undefined, requireHttps: true, refusePrivateAddresses: true },
      publicBaseUrl: 'https://sync.example.com',
      maxAttempts: 10,
    });
    expect(problems).toEqual([]);
  });

  it('when production allows a plain-http alert webhook host, then it is a configuration problem', () => {
    const problems: string[] = [];
    alertsConfig('production', { ...env, ALERT_WEBHOOK_ALLOWED_ENDPOINTS: 'https://*.slack.com, http://hooks.internal' }, 3000, problems);
    expect(problems).toEqual(['ALERT_WEBHOOK_ALLOWED_ENDPOINTS: http://hooks.internal must be https in production']);
  });

  it('when sandbox mode names no relay, then email has no relay and links point at the local API', () => {
    const config = loadConfig({});
    expect(config.alerts).toMatchObject({
      smtp: undefined,
      publicBaseUrl: 'http://localhost:3000',
      webhooks: { requireHttps: false, refusePrivateAddresses: false },
    });
  });
});
