import { createHmac } from 'node:crypto';
import type { KeyRing } from '../config/key-ring.js';

/** How a hashed key starts: `hmac:<key id>:<digest>`, so a row says which key made it. */
export const hashedKeyPrefix = 'hmac:';

/** Whether a customers mapping key stands for a shopper's email (an email, or the hash of one). */
export const isEmailKey = (key: string): boolean => key.includes('@') || key.startsWith(hashedKeyPrefix);

/**
 * The keys of customers mapping rows that stand for a shopper's email (guests, who have no
 * storefront customer id): a keyed HMAC-SHA256 of the lower-case email under the ring's active
 * key, never the email itself, so the table finds a returning shopper without holding their
 * address. Lookups and erasure try every key of the ring and the plain email, so rows written
 * before (or under a key since rotated out of activity) still resolve and are still erased.
 */
export class GuestMappingKeys {
  constructor(private readonly ring: KeyRing) {
    if (!ring.keys.has(ring.activeKeyId)) throw new Error(`the guest mapping key ring has no key ${ring.activeKeyId}`);
  }

  /** The key a row for this email is stored under. */
  keyFor(email: string): string {
    return this.hash(this.ring.activeKeyId, email);
  }

  /** Every key a row for this email may be stored under: the active key's hash first, then the other keys', then the plain email. */
  candidates(email: string): string[] {
    const ids = [this.ring.activeKeyId, ...[...this.ring.keys.keys()].filter((id) => id !== this.ring.activeKeyId)];
    return [...ids.map((id) => this.hash(id, email)), normalised(email)];
  }

  /** The key a customers row is stored under: an email becomes its hash; an id or a hash stays as given. */
  storedKey(key: string): string {
    return key.includes('@') ? this.keyFor(key) : key;
  }

  private hash(keyId: string, email: string): string {
    const digest = createHmac('sha256', this.ring.keys.get(keyId)!).update(normalised(email)).digest('base64url');
    return `${hashedKeyPrefix}${keyId}:${digest}`;
  }
}

/** Storefronts do not keep the case a shopper typed (as `shopperKeysOf` and the customers row schema). */
const normalised = (email: string) => email.trim().toLowerCase();
