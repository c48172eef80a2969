import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A secret as stored: AES-256-GCM, with the id of the key that sealed it. */
export interface SealedSecret {
  alg: 'aes-256-gcm';
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

/** Raised when a sealed secret cannot be opened: unknown key id, or tampered/moved ciphertext. */
export class CredentialDecryptionError extends Error {
  override readonly name = 'CredentialDecryptionError';
}

/**
 * Seals credentials at rest. The associated data binds each ciphertext to its tenant and
 * purpose, so a sealed value copied onto another tenant's record fails to open.
 */
export class CredentialCipher {
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    if (!keys.has(activeKeyId)) throw new Error(`credential key ${activeKeyId} is not configured`);
    for (const [id, key] of keys) if (key.length !== 32) throw new Error(`credential key ${id} must be 32 bytes`);
  }

  seal(value: unknown, associatedData: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return {
      alg: 'aes-256-gcm',
      keyId: this.activeKeyId,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  open(sealed: SealedSecret, associatedData: string): unknown {
    const key = this.keys.get(sealed.keyId);
    if (key === undefined) throw new CredentialDecryptionError(`credentials were sealed with key ${sealed.keyId}, which is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as unknown;
    } catch {
      throw new CredentialDecryptionError(`credentials sealed with key ${sealed.keyId} failed authentication`);
    }
  }

  /** True when the value was sealed with a key other than the active one. */
  isStale(sealed: SealedSecret): boolean {
    return sealed.keyId !== this.activeKeyId;
  }
}
