import { describe, expect, it } from 'vitest';
import { loadConfig, sandboxGuestMappingKeyRing } from '../../config/index.js';
import { GuestMappingKeys, isEmailKey } from '../../store/guest-mapping-keys.js';

const ring = (active: string, ...ids: string[]) => ({
  keys: new Map(ids.map((id, index) => [id, Buffer.alloc(32, index + 1)])),
  activeKeyId: active,
});

describe('guest mapping keys', () => {
  const keys = new GuestMappingKeys(ring('g2', 'g1', 'g2'));

  it.each([
    ['the same email in another case or with spaces', 'Ann@Example.com ', 'ann@example.com', true],
    ['another email', 'bob@example.com', 'ann@example.com', false],
  ])('when hashing %s, then the keys are equal exactly when the emails are', (_case, a, b, equal) => {
    expect(keys.keyFor(a) === keys.keyFor(b)).toBe(equal);
  });

  it.each([
    ['an email', 'Ann@Example.com', (stored: string) => stored === keys.keyFor('ann@example.com')],
    ['a storefront customer id', '4711', (stored: string) => stored === '4711'],
    ['a key already hashed', keys.keyFor('ann@example.com'), (stored: string) => stored === keys.keyFor('ann@example.com')],
  ])('when %s is stored, then its stored key is the hash of an email or the key as given', (_case, key, expected) => {
    expect(expected(keys.storedKey(key))).toBe(true);
  });

  it('when looking a guest up, then the active key is tried first, then the others, then the plain email; the hash holds no part of the email', () => {
    const candidates = keys.candidates('Ann@Example.com');
    expect(candidates).toHaveLength(3);
    expect(candidates[0]).toMatch(/^hmac:g2:/);
    expect(candidates[1]).toMatch(/^hmac:g1:/);
    expect(candidates[2]).toBe('ann@example.com');
    expect(candidates[0]).not.toContain('ann');
    expect(isEmailKey(candidates[0]!)).toBe(true);
    expect(isEmailKey('4711')).toBe(false);
    expect(new GuestMappingKeys(ring('g1', 'g1')).keyFor('ann@example.com')).toBe(candidates[1]);
  });

  it('when GUEST_MAPPING_HMAC_KEYS is unset, then the keys are derived from the credentials keys (same ids, not the same bytes); when set, they are its own', () => {
    const config = loadConfig({});
    expect([...config.guestMappingKeys.keys.keys()]).toEqual([...config.credentials.keys.keys()]);
    expect(config.guestMappingKeys.activeKeyId).toBe(config.credentials.activeKeyId);
    const [id, derived] = [...config.guestMappingKeys.keys][0]!;
    expect(derived.equals(config.credentials.keys.get(id)!)).toBe(false);
    expect(config.guestMappingKeys).toEqual(sandboxGuestMappingKeyRing());
    const own = Buffer.from(Array.from({ length: 32 }, (_, index) => index * 7)).toString('base64');
    expect(loadConfig({ GUEST_MAPPING_HMAC_KEYS: `h1:${own}` }).guestMappingKeys).toEqual({
      keys: new Map([['h1', Buffer.from(own, 'base64')]]),
      activeKeyId: 'h1',
    });
    expect(() => loadConfig({ GUEST_MAPPING_HMAC_KEYS: 'h1:c2hvcnQ=' })).toThrow(/GUEST_MAPPING_HMAC_KEYS: key h1 must be 32 bytes/);
  });
});
