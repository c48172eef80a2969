import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type { KeyRing } from './key-ring.js';

/** The `encoding` of a payload this codec encrypted (Temporal's convention for encrypted payloads). */
export const encryptedEncoding = 'binary/encrypted';
/** Metadata naming the key that encrypted a payload, so old histories decrypt after a rotation. */
export const encryptionKeyIdMetadata = 'encryption-key-id';

const ivLength = 12;
const tagLength = 16;
const text = new TextEncoder();
const decodeText = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** Raised when a payload cannot be decrypted: a key no longer configured, or bytes that were altered. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

/**
 * Encrypts every payload with AES-256-GCM under the key ring's active key. The whole payload
 * (its metadata, which says how it is serialised, and its data) is sealed; what the server
 * stores is `encoding: binary/encrypted`, the key's id, and `iv || ciphertext || tag`, with the
 * key id as additional authenticated data. Decoding accepts every key in the ring and passes a
 * payload that is not encrypted through unchanged: histories recorded before encryption (and
 * the replay fixtures) still read.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly activeKey: Buffer;

  constructor(private readonly ring: KeyRing) {
    const key = ring.keys.get(ring.activeKeyId);
    if (key === undefined) throw new Error(`the payload key ring has no key ${ring.activeKeyId}`);
    this.activeKey = key;
  }

  // A failure inside the executor is a rejected promise, as the SDK expects, never a synchronous throw.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.encrypt(payload))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.decrypt(payload))));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.ring.activeKeyId;
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv('aes-256-gcm', this.activeKey, iv);
    cipher.setAAD(Buffer.from(keyId));
    const sealed = Buffer.concat([cipher.update(serialise(payload)), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: text.encode(encryptedEncoding), [encryptionKeyIdMetadata]: text.encode(keyId) },
      data: Buffer.concat([iv, sealed]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (encoding === undefined || decodeText(encoding) !== encryptedEncoding) return payload;
    const keyIdBytes = payload.metadata?.[encryptionKeyIdMetadata];
    const keyId = keyIdBytes === undefined ? undefined : decodeText(keyIdBytes);
    const key = keyId === undefined ? undefined : this.ring.keys.get(keyId);
    if (key === undefined || keyId === undefined)
      throw new PayloadDecryptionError(`payload encrypted with key "${keyId ?? '(none)'}", which PAYLOAD_CODEC_KEYS does not hold`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < ivLength + tagLength) throw new PayloadDecryptionError('encrypted payload is too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivLength));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(data.length - tagLength));
      return deserialise(Buffer.concat([decipher.update(data.subarray(ivLength, data.length - tagLength)), decipher.final()]));
    } catch {
      throw new PayloadDecryptionError(`encrypted payload does not authenticate under key "${keyId}"`);
    }
  }
}

/** `u32 length || JSON of the metadata (values in base64) || data`: the payload's exact bytes, metadata included. */
function serialise(payload: Payload): Buffer {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')]),
  );
  const head = Buffer.from(JSON.stringify(metadata));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length);
  return Buffer.concat([length, head, Buffer.from(payload.data ?? new Uint8Array())]);
}

function deserialise(bytes: Buffer): Payload {
  const headLength = bytes.readUInt32BE(0);
  const metadata = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as Record<string, string>;
  return {
    metadata: Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(bytes.subarray(4 + headLength)),
  };
}

/**
 * The failure converter's module (`config/failure-converter.cjs`): failure messages and stack
 * traces are encoded as payloads, so the codec encrypts them with everything else.
 */
export const failureConverterPath = createRequire(import.meta.url).resolve('./failure-converter.cjs');

/**
 * The data converter of every process that talks to Temporal: the worker, the API's client, the
 * local stack and the tests' harness. Payloads, and the messages and stack traces of failures, are
 * encrypted with the configured payload keys.
 */
export function productDataConverter(config: { payloadCodec: KeyRing & { disabled?: boolean } }): DataConverter {
  // The overhead bench's baseline only (PAYLOAD_CODEC_DISABLED; production refuses it): nothing encrypted, failures included.
  if (config.payloadCodec.disabled === true) return {};
  return { failureConverterPath, payloadCodecs: [new PayloadEncryptionCodec(config.payloadCodec)] };
}
