/**
 * A site's identity for offline exchange: a site id and an Ed25519 key pair (node:crypto),
 * kept in <data>/site/. Partner sites' public keys are imported once; the fingerprint (the
 * first 20 bytes of the SHA-256 of the raw public key, in groups of four hex digits) is
 * what two people read to each other over the phone before trusting a key.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../api/errors.ts';

export type ExchangeErrorCode =
  | 'EXCHANGE_NO_IDENTITY'
  | 'EXCHANGE_BAD_KEY'
  | 'EXCHANGE_UNKNOWN_SENDER'
  | 'EXCHANGE_BAD_SIGNATURE'
  | 'EXCHANGE_UNSIGNED'
  | 'EXCHANGE_FILE_MISSING'
  | 'EXCHANGE_FILE_ALTERED'
  | 'EXCHANGE_FILE_UNLISTED'
  | 'EXCHANGE_MANIFEST_INVALID'
  | 'EXCHANGE_NOT_A_PACKAGE'
  | 'EXCHANGE_TOO_LARGE'
  | 'EXCHANGE_WRONG_KIND'
  | 'EXCHANGE_REPLAYED'
  | 'EXCHANGE_TOO_OLD'
  | 'EXCHANGE_FROM_FUTURE';
export class ExchangeError extends CodedError<ExchangeErrorCode> {}

export interface PublicSite {
  siteId: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  fingerprint: string;
}

const SITE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

export function fingerprintOf(publicKeyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 40);
  return hex.match(/.{4}/g)!.join(' ');
}

function publicKeyObject(publicKeyBase64: string): KeyObject {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  if (raw.length !== 32) throw new ExchangeError('EXCHANGE_BAD_KEY', `an Ed25519 public key is 32 bytes; this one is ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function verifySignature(publicKeyBase64: string, data: Uint8Array, signatureBase64: string): boolean {
  try {
    return verify(null, data, publicKeyObject(publicKeyBase64), Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

export class SiteIdentity {
  private constructor(
    readonly folder: string,
    readonly siteId: string,
    private readonly privateKey: KeyObject,
    readonly publicKey: string,
  ) {}

  get fingerprint(): string {
    return fingerprintOf(this.publicKey);
  }

  get public(): PublicSite {
    return { siteId: this.siteId, publicKey: this.publicKey, fingerprint: this.fingerprint };
  }

  sign(data: Uint8Array): string {
    return sign(null, data, this.privateKey).toString('base64');
  }

  /** Creates the site's key pair once; later calls load it (the site id cannot change). */
  static async init(dataFolder: string, siteId: string): Promise<SiteIdentity> {
    const folder = join(dataFolder, 'site');
    if (existsSync(join(folder, 'identity.json'))) {
      const existing = await SiteIdentity.load(dataFolder);
      if (existing.siteId !== siteId) throw new ExchangeError('EXCHANGE_BAD_KEY', `this installation is already site ${existing.siteId}`);
      return existing;
    }
    if (!SITE_ID.test(siteId)) throw new ExchangeError('EXCHANGE_BAD_KEY', 'a site id is 2–64 letters, digits, dots, dashes or underscores');
    await mkdir(folder, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = join(folder, 'identity.json');
    await writeFile(file, JSON.stringify({ siteId, publicKey: rawPublicKey(publicKey).toString('base64'), privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) }, null, 2), { mode: 0o600 });
    await chmod(file, 0o600);
    return SiteIdentity.load(dataFolder);
  }

  static async load(dataFolder: string): Promise<SiteIdentity> {
    const file = join(dataFolder, 'site', 'identity.json');
    let stored: { siteId: string; publicKey: string; privateKey: string };
    try {
      stored = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      throw new ExchangeError('EXCHANGE_NO_IDENTITY', `this installation has no site identity yet (${file}); run "neoscope site init --data DIR --site-id ID"`);
    }
    return new SiteIdentity(join(dataFolder, 'site'), stored.siteId, createPrivateKey(stored.privateKey), stored.publicKey);
  }
}

/** Partner sites whose signatures this site accepts. */
export class PartnerKeys {
  constructor(private readonly dataFolder: string) {}

  private get file(): string {
    return join(this.dataFolder, 'site', 'partners.json');
  }

  async list(): Promise<PublicSite[]> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as PublicSite[];
    } catch {
      return [];
    }
  }

  /** Adds a partner's key; the caller has checked the fingerprint with the partner. */
  async add(site: { siteId: string; publicKey: string }): Promise<PublicSite> {
    publicKeyObject(site.publicKey);
    const entry = { siteId: site.siteId, publicKey: site.publicKey, fingerprint: fingerprintOf(site.publicKey) };
    const partners = await this.list();
    const known = partners.find((p) => p.siteId === site.siteId);
    if (known && known.publicKey !== site.publicKey) throw new ExchangeError('EXCHANGE_BAD_KEY', `site ${site.siteId} is already known with another key (fingerprint ${known.fingerprint}); remove it first if the partner changed keys`);
    if (!known) {
      await mkdir(join(this.dataFolder, 'site'), { recursive: true });
      await writeFile(this.file, JSON.stringify([...partners, entry], null, 2));
    }
    return entry;
  }

  async find(siteId: string): Promise<PublicSite | undefined> {
    return (await this.list()).find((p) => p.siteId === siteId);
  }
}
