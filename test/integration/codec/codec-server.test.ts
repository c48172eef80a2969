import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayloadEncryptionCodec } from '../../../config/payload-encryption.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';

const temporalUi = 'https://temporal.example.test';
const localUi = 'http://localhost:8233';
const key = (byte: number) => Buffer.from(Array.from({ length: 32 }, (_, index) => (byte + index * 7) % 256));
const codec = new PayloadEncryptionCodec({ keys: new Map([['k1', key(1)]]), activeKeyId: 'k1' });
const base64 = (text: string) => Buffer.from(text).toString('base64');
/** A payload as Temporal UI sends it: proto3 JSON, metadata values and data in base64. */
const jsonPayload = { metadata: { encoding: base64('json/plain') }, data: base64('{"email":"ada@example.com","street":"1 Loop Rd"}') };

describe('the codec server for Temporal UI (POST /codec/encode, /codec/decode)', () => {
  let api: AdminApiUnderTest;
  let tenantKey: string;

  beforeAll(async () => {
    api = await startAdminApi({ codec: { codec, corsOrigins: [temporalUi, localUi], tokenlessOrigins: [localUi] } });
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: 'codec-a', name: 'A', connection: bigCommerceConnection } })).status,
    ).toBe(201);
    const issued = await api.call('POST', '/api/v1/api-keys', { body: { name: 'tenant admin', role: 'admin', tenantId: 'codec-a' } });
    tenantKey = issued.body.token as string;
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api.server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: JSON.stringify(body),
    });

  it('when an installation-wide admin encodes then decodes a payload, then it gets the same payload back and the encoded one holds no plaintext', async () => {
    const encoded = await api.call('POST', '/codec/encode', { body: { payloads: [jsonPayload] } });
    expect(encoded.status).toBe(200);
    const [sealed] = encoded.body.payloads as Array<{ metadata: Record<string, string>; data: string }>;
    expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed!.metadata['encryption-key-id']!, 'base64').toString()).toBe('k1');
    expect(Buffer.from(sealed!.data, 'base64').toString('latin1')).not.toContain('ada@example.com');

    const decoded = await api.call('POST', '/codec/decode', { body: { payloads: [sealed] } });
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: [jsonPayload] });
  });

  it('when a payload was never encrypted (a history from before encryption), then decode passes it through unchanged', async () => {
    const decoded = await api.call('POST', '/codec/decode', { body: { payloads: [jsonPayload] } });
    expect(decoded.body).toEqual({ payloads: [jsonPayload] });
  });

  it('when the key is absent or wrong, then it is refused with 401 and nothing is decoded', async () => {
    const [sealed] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') }]);
    const body = {
      payloads: [
        {
          metadata: { encoding: base64('binary/encrypted'), 'encryption-key-id': base64('k1') },
          data: Buffer.from(sealed!.data!).toString('base64'),
        },
      ],
    };
    for (const headers of <Array<Record<string, string>>>[
      {},
      { authorization: 'Bearer not-a-key-at-all' },
      { authorization: 'Basic abc' },
      { origin: temporalUi },
    ]) {
      const response = await post('/codec/decode', body, headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(await response.text()).not.toContain('"a":1');
    }
  });

  it("when a key limited to one tenant asks, then it is refused: decrypted payloads hold every tenant's data", async () => {
    const response = await post('/codec/decode', { payloads: [jsonPayload] }, { authorization: `Bearer ${tenantKey}` });
    expect(response.status).toBe(403);
  });

  it("when Temporal UI's browser asks from an allowed origin, then CORS lets it send its key and read the answer; other origins get no CORS grant", async () => {
    const preflight = await fetch(`${api.server.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: temporalUi,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(temporalUi);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');

    const answered = await post(
      '/codec/decode',
      { payloads: [jsonPayload] },
      { origin: temporalUi, authorization: 'Bearer test-bootstrap-key-0123456789' },
    );
    expect(answered.status).toBe(200);
    expect(answered.headers.get('access-control-allow-origin')).toBe(temporalUi);

    const elsewhere = await fetch(`${api.server.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when the local dev UI (sandbox mode) asks without a key, then it is answered; the same request from elsewhere is not', async () => {
    expect((await post('/codec/decode', { payloads: [jsonPayload] }, { origin: localUi })).status).toBe(200);
    expect((await post('/codec/decode', { payloads: [jsonPayload] }, { origin: 'http://localhost:9999' })).status).toBe(401);
  });

  it('when a payload was encrypted with a key the installation no longer holds, then decode answers 422 naming the key id only', async () => {
    const other = new PayloadEncryptionCodec({ keys: new Map([['retired', key(9)]]), activeKeyId: 'retired' });
    const [sealed] = await other.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') }]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(
            Object.entries(sealed!.metadata!).map(([name, value]) => [name, Buffer.from(value).toString('base64')]),
          ),
          data: Buffer.from(sealed!.data!).toString('base64'),
        },
      ],
    };
    const response = await api.call('POST', '/codec/decode', { body });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('payload_not_decryptable');
    expect(response.text).toContain('retired');
  });

  it('when the body is not a list of payloads, then it answers 400', async () => {
    expect((await api.call('POST', '/codec/decode', { body: { payloads: 'nope' } })).status).toBe(400);
  });
});
