import { z } from 'zod';
import { keyRingProductionProblems, parseKeyRing, type KeyRing } from './key-ring.js';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/**
 * The sandbox's payload key: public on purpose, like the sandbox credentials key; it protects only
 * demo orders in the local dev server's history. Production refuses it.
 */
export const sandboxPayloadKey = { id: 'sandbox-payloads-1', key: Buffer.from('c2FuZGJveC1vbmx5LXBheWxvYWQta2V5LTMyYnl0ZXM=', 'base64') };

/** The environment variables of Temporal payload encryption (part of config/index.ts's schema; docs/security.md). */
export const payloadCodecVariables = {
  PAYLOAD_CODEC_KEYS: optionalText.describe(
    '`id:base64key[,id:base64key]`, random 32-byte AES-256-GCM keys encrypting every Temporal payload (inputs, results, signals, queries, memos); all decrypt, the active one encrypts. A public sandbox key when unset in sandbox mode, required in production',
  ),
  PAYLOAD_CODEC_ACTIVE_KEY_ID: optionalText.describe(
    'Id of the key new payloads are encrypted with; default the last id in PAYLOAD_CODEC_KEYS',
  ),
  PAYLOAD_CODEC_DISABLED: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .describe(
      "Payloads travel unencrypted: only for measuring the codec's cost (`npm run bench -- --only overhead`) in sandbox mode; production refuses it",
    ),
  PAYLOAD_CODEC_CORS_ORIGINS: optionalText.describe(
    "Comma-separated origins (`https://temporal.example.com`) of the Temporal UIs whose browsers may call the API's codec endpoint `/codec`; default the local dev server's UI in sandbox mode, none in production",
  ),
};

type PayloadCodecEnvironment = { [name in keyof typeof payloadCodecVariables]: z.output<(typeof payloadCodecVariables)[name]> };

/** Payload encryption and the codec endpoint, as the installation configures them. */
export interface PayloadCodecConfig extends KeyRing {
  /** Origins whose browsers may call `/codec/encode` and `/codec/decode` (CORS). */
  corsOrigins: string[];
  /**
   * Origins answered without a key: the local dev server's UI in sandbox mode only (where the
   * admin key and the payload key are public anyway); empty in production.
   */
  tokenlessOrigins: string[];
  /** PAYLOAD_CODEC_DISABLED: payloads are not encrypted (the overhead bench's baseline; sandbox mode only). */
  disabled: boolean;
}

/** Reads the payload codec variables; problems are added to `problems` (production needs real keys). */
export function payloadCodecConfig(
  mode: 'sandbox' | 'production',
  env: PayloadCodecEnvironment,
  temporalUiPort: number,
  problems: string[],
): PayloadCodecConfig {
  const ring = parseKeyRing(
    {
      mode,
      variable: 'PAYLOAD_CODEC_KEYS',
      activeVariable: 'PAYLOAD_CODEC_ACTIVE_KEY_ID',
      keysText: env.PAYLOAD_CODEC_KEYS,
      activeKeyId: env.PAYLOAD_CODEC_ACTIVE_KEY_ID,
      sandboxKey: sandboxPayloadKey,
    },
    problems,
  );
  if (mode === 'production') problems.push(...keyRingProductionProblems('PAYLOAD_CODEC_KEYS', ring.keys.values(), sandboxPayloadKey.key));
  if (mode === 'production' && env.PAYLOAD_CODEC_DISABLED)
    problems.push('PAYLOAD_CODEC_DISABLED: production always encrypts Temporal payloads; unset it');
  const localUiOrigins = [`http://localhost:${temporalUiPort}`, `http://127.0.0.1:${temporalUiPort}`];
  const corsOrigins =
    env.PAYLOAD_CODEC_CORS_ORIGINS === undefined
      ? mode === 'sandbox'
        ? localUiOrigins
        : []
      : env.PAYLOAD_CODEC_CORS_ORIGINS.split(',')
          .map((entry) => entry.trim().replace(/\/+$/, ''))
          .filter(Boolean);
  for (const origin of corsOrigins) {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (parsed === undefined || parsed.origin !== origin)
      problems.push(`PAYLOAD_CODEC_CORS_ORIGINS: ${origin} is not an origin (scheme://host[:port])`);
    else if (mode === 'production' && parsed.protocol !== 'https:')
      problems.push(`PAYLOAD_CODEC_CORS_ORIGINS: ${origin} must be https in production`);
  }
  return { ...ring, corsOrigins, tokenlessOrigins: mode === 'sandbox' ? localUiOrigins : [], disabled: env.PAYLOAD_CODEC_DISABLED };
}
