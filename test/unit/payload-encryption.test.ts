import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.js';
import { sandboxPayloadKey } from '../../config/payload-codec.js';
import { PayloadDecryptionError, PayloadEncryptionCodec } from '../../config/payload-encryption.js';

const ring = (active: string, ...ids: string[]) => ({ keys: new Map(ids.map((id) => [id, keys[id]!])), activeKeyId: active });
const keys: Record<string, Buffer> = { old: randomBytes(32), new: randomBytes(32) };
const order = { orderId: '100', billing: { email: 'ada@example.com', street1: '1 Loop Rd', phone: '+44 20 7946 0000' } };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('latin1');

describe('PayloadEncryptionCodec (AES-256-GCM, key id in the metadata)', () => {
  it('when a payload is encoded, then the server sees only the encrypted encoding and the key id, and decoding gives the exact payload back', async () => {
    const codec = new PayloadEncryptionCodec(ring('new', 'new'));
    const payload = defaultPayloadConverter.toPayload(order);
    const [sealed] = await codec.encode([payload]);
    expect(text(sealed!.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(sealed!.metadata!['encryption-key-id'])).toBe('new');
    expect(Object.keys(sealed!.metadata!).sort()).toEqual(['encoding', 'encryption-key-id']);
    for (const plain of ['ada@example.com', 'Loop Rd', '7946', 'json/plain']) expect(text(sealed!.data)).not.toContain(plain);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(order);
    expect(text(opened!.metadata!.encoding)).toBe('json/plain');
  });

  it('when the same payload is encoded twice, then the ciphertexts differ (a fresh IV each time)', async () => {
    const codec = new PayloadEncryptionCodec(ring('new', 'new'));
    const payload = defaultPayloadConverter.toPayload(order);
    const [first, second] = await codec.encode([payload, payload]);
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
  });

  it('when keys rotate, then payloads sealed under the old key still decode and new ones are sealed under the new key', async () => {
    const before = new PayloadEncryptionCodec(ring('old', 'old'));
    const after = new PayloadEncryptionCodec(ring('new', 'old', 'new'));
    const [oldSealed] = await before.encode([defaultPayloadConverter.toPayload(order)]);
    const [opened] = await after.decode([oldSealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(order);
    const [newSealed] = await after.encode([defaultPayloadConverter.toPayload(order)]);
    expect(text(newSealed!.metadata!['encryption-key-id'])).toBe('new');
    await expect(before.decode([newSealed!])).rejects.toThrow(PayloadDecryptionError);
  });

  it('when a payload is not encrypted (a history recorded before encryption), then decoding passes it through unchanged', async () => {
    const codec = new PayloadEncryptionCodec(ring('new', 'new'));
    const plain = defaultPayloadConverter.toPayload(order);
    const nothing = defaultPayloadConverter.toPayload(undefined);
    expect(await codec.decode([plain, nothing])).toEqual([plain, nothing]);
  });

  it('when the sealed bytes or the key id are altered, then decoding refuses instead of returning garbage', async () => {
    const codec = new PayloadEncryptionCodec(ring('new', 'old', 'new'));
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(order)]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data: flipped }])).rejects.toThrow('does not authenticate');
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('old') } };
    await expect(codec.decode([relabelled])).rejects.toThrow('does not authenticate');
    const unknown = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('gone') } };
    await expect(codec.decode([unknown])).rejects.toThrow('"gone"');
  });
});

describe('payload keys in the configuration', () => {
  const production = {
    APP_MODE: 'production',
    MONGODB_URI: 'mongodb://db/?tls=true',
    TEMPORAL_ADDRESS: 'temporal:7233',
    TEMPORAL_TLS: 'true',
    CREDENTIALS_KEYS: `prod-1:${randomBytes(32).toString('base64')}`,
    PAYLOAD_CODEC_KEYS: `p1:${randomBytes(32).toString('base64')}`,
  };

  it('when production mode has no payload key, then it refuses to start and names PAYLOAD_CODEC_KEYS', () => {
    expect(loadConfig(production).payloadCodec.activeKeyId).toBe('p1');
    expect(() => loadConfig({ ...production, PAYLOAD_CODEC_KEYS: '' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, PAYLOAD_CODEC_KEYS: '' })).toThrow('PAYLOAD_CODEC_KEYS: required in production');
  });

  it('when production mode is given the public sandbox payload key or a non-random one, then it refuses to start', () => {
    expect(() => loadConfig({ ...production, PAYLOAD_CODEC_KEYS: `s:${sandboxPayloadKey.key.toString('base64')}` })).toThrow(
      'PAYLOAD_CODEC_KEYS: the sandbox key cannot be used in production',
    );
    expect(() => loadConfig({ ...production, PAYLOAD_CODEC_KEYS: `z:${Buffer.alloc(32).toString('base64')}` })).toThrow('not random');
  });

  it('when production names Temporal UI origins, then they must be https origins; none by default, and nothing is answered without a key', () => {
    expect(loadConfig(production).payloadCodec).toMatchObject({ corsOrigins: [], tokenlessOrigins: [] });
    expect(loadConfig({ ...production, PAYLOAD_CODEC_CORS_ORIGINS: 'https://temporal.example.com/' }).payloadCodec.corsOrigins).toEqual([
      'https://temporal.example.com',
    ]);
    expect(() => loadConfig({ ...production, PAYLOAD_CODEC_CORS_ORIGINS: 'http://temporal.example.com' })).toThrow('must be https');
    expect(() => loadConfig({ ...production, PAYLOAD_CODEC_CORS_ORIGINS: 'https://x.example/path' })).toThrow('is not an origin');
  });

  it('in sandbox mode the public sandbox payload key is the default and the local dev UI may call the codec', () => {
    const config = loadConfig({ TEMPORAL_UI_PORT: '8299' });
    expect(config.payloadCodec.activeKeyId).toBe(sandboxPayloadKey.id);
    expect(config.payloadCodec.tokenlessOrigins).toEqual(['http://localhost:8299', 'http://127.0.0.1:8299']);
    expect(config.payloadCodec.corsOrigins).toEqual(config.payloadCodec.tokenlessOrigins);
  });

  it('when several payload keys are configured, then the named one is active and an unknown active id is refused', () => {
    const two = `a:${randomBytes(32).toString('base64')},b:${randomBytes(32).toString('base64')}`;
    expect(loadConfig({ PAYLOAD_CODEC_KEYS: two }).payloadCodec.activeKeyId).toBe('b');
    expect(loadConfig({ PAYLOAD_CODEC_KEYS: two, PAYLOAD_CODEC_ACTIVE_KEY_ID: 'a' }).payloadCodec.keys.size).toBe(2);
    expect(() => loadConfig({ PAYLOAD_CODEC_KEYS: two, PAYLOAD_CODEC_ACTIVE_KEY_ID: 'c' })).toThrow('PAYLOAD_CODEC_ACTIVE_KEY_ID');
    expect(() => loadConfig({ PAYLOAD_CODEC_KEYS: 'k:short' })).toThrow('must be 32 bytes');
  });
});
