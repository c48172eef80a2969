import got from 'got';
import nodemailer, { type Transporter } from 'nodemailer';
import { alertSignatureHeaders, signAlertBody } from './signature.js';
import { AlertWebhookRefusedError, type AlertWebhookEndpoints } from './webhook-endpoints.js';

/** The installation's SMTP relay (config/alerts.ts): never a tenant's setting, its password never logged. */
export interface SmtpRelay {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  /** Refuse to send unless the connection is upgraded to TLS (production). */
  requireTls: boolean;
  user: string | undefined;
  password: string | undefined;
  /** The From address of every alert. */
  from: string;
}

/**
 * What a channel's server answered: the SMTP reply or the HTTP status and the start of the body.
 * `retryable` false when sending again cannot help (a refused URL, a 4xx other than 408/429).
 */
export interface ChannelAnswer {
  ok: boolean;
  answer: string;
  retryable: boolean;
}

/** One message as every channel sends it. */
export interface AlertMessage {
  /** Stable id of the message, sent as `X-Alert-Id` so a receiver can drop a repeat. */
  id: string;
  subject: string;
  text: string;
  /** The webhook's JSON body (Slack-compatible `text` plus the product's own fields). */
  webhookBody: Record<string, unknown>;
}

const answerLength = 300;
const clip = (text: string) => (text.length > answerLength ? `${text.slice(0, answerLength)}…` : text);

/**
 * Sends alerts over email (SMTP through nodemailer) and signed JSON webhooks. No retry loop
 * inside: the outbox's sender decides when to try again. Failures come back as answers, never
 * as throws, so a caller records them as they are.
 */
export class AlertChannels {
  private readonly transporter: Transporter | undefined;

  constructor(private readonly options: { smtp: SmtpRelay | undefined; webhooks: AlertWebhookEndpoints; timeoutMs?: number }) {
    const { smtp } = options;
    const timeout = options.timeoutMs ?? 15_000;
    this.transporter =
      smtp &&
      nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        requireTLS: smtp.requireTls,
        ...(smtp.user !== undefined && { auth: { user: smtp.user, pass: smtp.password ?? '' } }),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
      });
  }

  /** Why an alert webhook URL is refused, or undefined; what settings writes check. */
  webhookRefusal(url: string): string | undefined {
    return this.options.webhooks.refusal(url);
  }

  async email(to: readonly string[], message: AlertMessage): Promise<ChannelAnswer> {
    if (this.transporter === undefined || this.options.smtp === undefined)
      return { ok: false, retryable: true, answer: 'no SMTP relay is configured for this installation (ALERTS_SMTP_HOST)' };
    try {
      const info = (await this.transporter.sendMail({
        from: this.options.smtp.from,
        to: [...to],
        subject: message.subject,
        text: message.text,
        headers: { 'X-Alert-Id': message.id },
      })) as { response?: string; rejected?: unknown[] };
      const rejected = info.rejected?.length ?? 0;
      return rejected > 0
        ? { ok: false, retryable: false, answer: clip(`${rejected} recipient(s) refused: ${info.response ?? ''}`) }
        : { ok: true, retryable: false, answer: clip(info.response ?? 'accepted') };
    } catch (error) {
      const failure = error as { responseCode?: number; response?: string; code?: string; message?: string };
      // 5xx SMTP replies are permanent (bad recipient, policy); everything else (no connection, 4xx) may pass later.
      const permanent = failure.responseCode !== undefined && failure.responseCode >= 500;
      return { ok: false, retryable: !permanent, answer: clip(failure.response ?? `${failure.code ?? 'error'}: ${failure.message ?? ''}`) };
    }
  }

  async webhook(url: string, message: AlertMessage, signingSecret: string | undefined): Promise<ChannelAnswer> {
    const refusal = this.options.webhooks.refusal(url);
    if (refusal !== undefined) return { ok: false, retryable: false, answer: `refused: ${refusal}` };
    if (signingSecret === undefined)
      return { ok: false, retryable: false, answer: 'the tenant has no alert signing secret yet: POST …/alerts/signing-secret' };
    const body = JSON.stringify(message.webhookBody);
    const lookup = this.options.webhooks.dnsLookup();
    try {
      const response = await got.post(url, {
        body,
        headers: { 'content-type': 'application/json', [alertSignatureHeaders.id]: message.id, ...signAlertBody(signingSecret, body) },
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        timeout: { request: this.options.timeoutMs ?? 15_000 },
        ...(lookup && { dnsLookup: lookup }),
      });
      const answer = clip(`${response.statusCode} ${response.body}`.trim());
      if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, retryable: false, answer };
      const retryable = response.statusCode >= 500 || response.statusCode === 408 || response.statusCode === 429;
      return { ok: false, retryable, answer };
    } catch (error) {
      for (let cause: unknown = error; cause instanceof Error; cause = cause.cause)
        if (cause instanceof AlertWebhookRefusedError) return { ok: false, retryable: false, answer: cause.message };
      const failure = error as { code?: string; message?: string };
      // got's message names the URL, which for Slack holds its token: the code alone is kept.
      return { ok: false, retryable: true, answer: `no answer (${failure.code ?? 'error'})` };
    }
  }

  close(): void {
    this.transporter?.close();
  }
}
