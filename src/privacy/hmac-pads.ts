/**
 * The two padded key blocks of HMAC-SHA256 (RFC 2104), as hex. Engines without an HMAC
 * function compute H((K0 ^ opad) || H((K0 ^ ipad) || m)) from them with plain sha256.
 */
import crypto from 'node:crypto';

const BLOCK_SIZE = 64;

export function hmacPads(key: Buffer): { inner: string; outer: string } {
  const k0 = Buffer.alloc(BLOCK_SIZE);
  (key.length > BLOCK_SIZE ? crypto.createHash('sha256').update(key).digest() : key).copy(k0);
  return {
    inner: Buffer.from(k0.map((b) => b ^ 0x36)).toString('hex'),
    outer: Buffer.from(k0.map((b) => b ^ 0x5c)).toString('hex'),
  };
}
