/**
 * Ed25519 helpers shared by the readers' signing keys and the site key: raw 32-byte public
 * keys in base64, the fingerprint people compare (the first 20 bytes of the SHA-256 of the
 * raw key, in groups of four hex digits), signing and verifying (node:crypto).
 */
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

export function fingerprintOf(publicKeyBase64: string): string {
  const hex = createHash('sha256')
    .update(Buffer.from(publicKeyBase64, 'base64'))
    .digest('hex')
    .slice(0, 40);
  return hex.match(/.{4}/g)!.join(' ');
}

/** The key object of a raw public key, or undefined when it is not 32 bytes. */
export function ed25519PublicKey(publicKeyBase64: string): KeyObject | undefined {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  if (raw.length !== 32) return undefined;
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

export function verifyEd25519(
  publicKeyBase64: string,
  data: Uint8Array,
  signatureBase64: string,
): boolean {
  try {
    const key = ed25519PublicKey(publicKeyBase64);
    return Boolean(key) && verify(null, data, key!, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

export function signEd25519(privateKey: KeyObject, data: Uint8Array): string {
  return sign(null, data, privateKey).toString('base64');
}

/** A new key pair: the private key as PKCS#8 DER (to be sealed), the public key raw in base64. */
export function newEd25519KeyPair(): {
  privateKeyDer: Buffer;
  privateKey: KeyObject;
  publicKey: string;
  fingerprint: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey).toString('base64');
  return {
    privateKey,
    privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }),
    publicKey: raw,
    fingerprint: fingerprintOf(raw),
  };
}
