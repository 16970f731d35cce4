/**
 * A secret (a private key) sealed under a password or passphrase: a key derived by scrypt
 * (N = 2^15, r = 8, p = 1, random 16-byte salt) encrypts it with AES-256-GCM (random 12-byte
 * IV); `purpose` is authenticated with it, so a sealed key cannot be moved to another account
 * or role. Stored as one JSON string with the parameters, so they can be raised later.
 */
import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
} from 'node:crypto';

const N = 2 ** 15;
const R = 8;
const P = 1;

interface Sealed {
  v: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(
      secret.normalize('NFC'),
      salt,
      32,
      { N: n, r, p, maxmem: 128 * n * r * 2 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function sealSecret(
  secret: Uint8Array,
  password: string,
  purpose: string,
): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await derive(password, salt, N, R, P);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const data = Buffer.concat([cipher.update(secret), cipher.final()]);
  const sealed: Sealed = {
    v: 1,
    kdf: 'scrypt',
    N,
    r: R,
    p: P,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return JSON.stringify(sealed);
}

/** The secret, or undefined when the password is wrong or the sealed text was altered. */
export async function openSealedSecret(
  sealedText: string,
  password: string,
  purpose: string,
): Promise<Buffer | undefined> {
  let sealed: Sealed;
  try {
    sealed = JSON.parse(sealedText) as Sealed;
  } catch {
    return undefined;
  }
  if (
    sealed.v !== 1 ||
    sealed.kdf !== 'scrypt' ||
    ![sealed.N, sealed.r, sealed.p].every((n) => Number.isSafeInteger(n) && n > 0) ||
    sealed.N > 2 ** 20 ||
    sealed.r > 32 ||
    sealed.p > 16
  )
    return undefined;
  try {
    const key = await derive(
      password,
      Buffer.from(sealed.salt, 'base64'),
      sealed.N,
      sealed.r,
      sealed.p,
    );
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}
