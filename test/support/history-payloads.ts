import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { PayloadEncryptionCodec } from '../../config/payload-encryption.js';
import { sandboxPayloadKey } from '../../config/payload-codec.js';

const sandboxCodec = new PayloadEncryptionCodec({
  keys: new Map([[sandboxPayloadKey.id, sandboxPayloadKey.key]]),
  activeKeyId: sandboxPayloadKey.id,
});

/** A payload read from a history (encrypted with the sandbox payload key, as tests run the product), as its value. */
export async function fromHistoryPayload<T = unknown>(payload: Payload): Promise<T> {
  const [decrypted] = await sandboxCodec.decode([payload]);
  return defaultPayloadConverter.fromPayload<T>(decrypted!);
}
