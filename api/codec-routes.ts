import express, { Router, type RequestHandler } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Logger } from '../config/logger.js';
import { PayloadDecryptionError } from '../config/payload-encryption.js';
import type { AuthFailureLimits } from './admin/auth-failure-limiter.js';
import { authenticate, principalOf } from './admin/auth.js';
import { HttpError } from './errors.js';

/** What the codec endpoint needs: the codec, who may call it from a browser, and the admin keys. */
export interface CodecServerDependencies {
  codec: PayloadCodec;
  /** Temporal UI origins allowed by CORS. */
  corsOrigins: readonly string[];
  /** Origins answered without a key (the local dev UI in sandbox mode only). */
  tokenlessOrigins: readonly string[];
  db: Db;
  bootstrapApiKey: string | undefined;
  authFailureLimits?: AuthFailureLimits | undefined;
  logger?: Logger | undefined;
}

/** Temporal's remote codec protocol: proto3 JSON, every bytes field (data, each metadata value) in base64. */
const codecBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof codecBody>['payloads'][number];

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
  data: new Uint8Array(Buffer.from(data ?? '', 'base64')),
});

const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')])),
  data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
});

/**
 * The codec server (Temporal's remote codec protocol): `POST /codec/decode` and `/codec/encode`
 * take `{ payloads: [{ metadata, data }] }` and answer the same shape, run through the product's
 * payload codec, so Temporal UI (`--ui-codec-endpoint`, `TEMPORAL_CODEC_ENDPOINT`) and the CLI
 * (`--codec-endpoint … --codec-auth 'Bearer <key>'`) show decrypted histories. Decrypted payloads
 * hold every tenant's orders, so only an installation-wide admin API key is accepted; browsers
 * reach it only from the configured Temporal UI origins (CORS), and in sandbox mode the local dev
 * UI is answered without a key, as the sandbox keys are public anyway.
 */
export function codecRoutes(deps: CodecServerDependencies): Router {
  const router = Router();
  const requireKey = authenticate({
    db: deps.db,
    bootstrapApiKey: deps.bootstrapApiKey,
    authFailureLimits: deps.authFailureLimits,
    logger: deps.logger,
  });

  const cors: RequestHandler = (request, response, next) => {
    const origin = request.get('origin');
    response.setHeader('Vary', 'Origin');
    response.setHeader('Cache-Control', 'no-store');
    if (origin !== undefined && deps.corsOrigins.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace');
      response.setHeader('Access-Control-Max-Age', '600');
    }
    if (request.method === 'OPTIONS') {
      response.status(origin !== undefined && deps.corsOrigins.includes(origin) ? 204 : 403).end();
      return;
    }
    next();
  };

  const authorise: RequestHandler = (request, response, next) => {
    const origin = request.get('origin');
    if (origin !== undefined && deps.tokenlessOrigins.includes(origin) && request.get('authorization') === undefined) {
      next();
      return;
    }
    requireKey(request, response, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      if (principalOf(response).tenantId !== null) {
        next(new HttpError(403, 'forbidden', "decrypted payloads hold every tenant's data: use an installation-wide admin key"));
        return;
      }
      next();
    });
  };

  for (const direction of ['encode', 'decode'] as const) {
    router.options(`/codec/${direction}`, cors);
    router.post(`/codec/${direction}`, cors, authorise, express.json({ limit: '8mb' }), async (request, response) => {
      const body = codecBody.safeParse(request.body);
      if (!body.success) throw new HttpError(400, 'invalid_payloads', 'send { "payloads": [{ "metadata": {…base64}, "data": "base64" }] }');
      try {
        const payloads = await deps.codec[direction](body.data.payloads.map(fromJson));
        response.json({ payloads: payloads.map(toJson) });
      } catch (error) {
        if (error instanceof PayloadDecryptionError) throw new HttpError(422, 'payload_not_decryptable', error.message);
        throw error;
      }
    });
  }
  return router;
}
