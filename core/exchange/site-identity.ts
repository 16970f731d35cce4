/**
 * A site's identity for offline exchange: a site id and an Ed25519 key pair (node:crypto),
 * kept in <data>/site/identity.json. The private key is sealed under an admin passphrase
 * (scrypt + AES-256-GCM, core/users/sealed-key.ts): someone who copies the data folder has
 * the public key and a sealed blob, not a key that signs packages. Signing needs the
 * identity unlocked with the passphrase (the workstation keeps it unlocked in memory until
 * it closes, after an admin enters it; the CLI asks each time). A key written unsealed by an
 * earlier version is sealed under the passphrase given the first time it is unlocked.
 * Partner sites' public keys are imported once; the fingerprint (the first 20 bytes of the
 * SHA-256 of the raw public key, in groups of four hex digits) is what two people read to
 * each other over the phone before trusting a key.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CodedError } from '../base/errors.ts';
import {
  ed25519PublicKey,
  fingerprintOf as fingerprint,
  newEd25519KeyPair,
  rawPublicKey,
  signEd25519,
  verifyEd25519,
} from '../audit/ed25519.ts';
import { passwordProblem } from '../users/passwords.ts';
import { openSealedSecret, sealSecret } from '../users/sealed-key.ts';

export type ExchangeErrorCode =
  | 'EXCHANGE_NO_IDENTITY'
  | 'EXCHANGE_BAD_KEY'
  | 'EXCHANGE_SITE_LOCKED'
  | 'EXCHANGE_BAD_PASSPHRASE'
  | 'EXCHANGE_WEAK_PASSPHRASE'
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
const PURPOSE = 'neoscope site key';

export function fingerprintOf(publicKeyBase64: string): string {
  return fingerprint(publicKeyBase64);
}

function publicKeyObject(publicKeyBase64: string): KeyObject {
  const key = ed25519PublicKey(publicKeyBase64);
  if (!key)
    throw new ExchangeError(
      'EXCHANGE_BAD_KEY',
      `an Ed25519 public key is 32 bytes; this one is ${Buffer.from(publicKeyBase64, 'base64').length}`,
    );
  return key;
}

export function verifySignature(
  publicKeyBase64: string,
  data: Uint8Array,
  signatureBase64: string,
): boolean {
  return verifyEd25519(publicKeyBase64, data, signatureBase64);
}

/** identity.json: the sealed form, or the unsealed one earlier versions wrote. */
interface StoredIdentity {
  siteId: string;
  publicKey: string;
  sealedPrivateKey?: string;
  privateKey?: string;
}

async function readStored(dataFolder: string): Promise<StoredIdentity> {
  const file = join(dataFolder, 'site', 'identity.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredIdentity;
  } catch {
    throw new ExchangeError(
      'EXCHANGE_NO_IDENTITY',
      `this installation has no site identity yet (${file}); run "neoscope site init --data DIR --site-id ID"`,
    );
  }
}

/** Written whole or not at all (temporary file, then rename), readable by the owner only. */
async function writeStored(dataFolder: string, stored: StoredIdentity): Promise<void> {
  const folder = join(dataFolder, 'site');
  await mkdir(folder, { recursive: true });
  const file = join(folder, 'identity.json');
  const temp = join(folder, '.identity.json.partial');
  await writeFile(temp, JSON.stringify(stored, null, 2), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}

function passphraseProblem(passphrase: string): string | null {
  const problem = passwordProblem(passphrase);
  return problem && problem.replace('a password', 'the site passphrase');
}

export class SiteIdentity {
  private constructor(
    readonly folder: string,
    readonly siteId: string,
    private readonly privateKey: KeyObject,
    readonly publicKey: string,
    /** True when this unlock sealed a key that an earlier version had stored unsealed. */
    readonly migrated = false,
  ) {}

  get fingerprint(): string {
    return fingerprintOf(this.publicKey);
  }

  get public(): PublicSite {
    return { siteId: this.siteId, publicKey: this.publicKey, fingerprint: this.fingerprint };
  }

  sign(data: Uint8Array): string {
    return signEd25519(this.privateKey, data);
  }

  /**
   * Creates the site's key pair once, sealed under `passphrase`; later calls unlock it (the
   * site id cannot change). Without a passphrase the key is stored unsealed, as earlier
   * versions did: the CLI and the workstation always give one; only tests and tools omit it.
   */
  static async init(
    dataFolder: string,
    siteId: string,
    passphrase?: string,
  ): Promise<SiteIdentity> {
    if (existsSync(join(dataFolder, 'site', 'identity.json'))) {
      const existing = await SiteIdentity.load(dataFolder, passphrase);
      if (existing.siteId !== siteId)
        throw new ExchangeError(
          'EXCHANGE_BAD_KEY',
          `this installation is already site ${existing.siteId}`,
        );
      return existing;
    }
    if (!SITE_ID.test(siteId))
      throw new ExchangeError(
        'EXCHANGE_BAD_KEY',
        'a site id is 2–64 letters, digits, dots, dashes or underscores',
      );
    const weak = passphrase === undefined ? null : passphraseProblem(passphrase);
    if (weak) throw new ExchangeError('EXCHANGE_WEAK_PASSPHRASE', weak);
    const pair = newEd25519KeyPair();
    await writeStored(dataFolder, {
      siteId,
      publicKey: pair.publicKey,
      ...(passphrase === undefined
        ? { privateKey: String(pair.privateKey.export({ format: 'pem', type: 'pkcs8' })) }
        : { sealedPrivateKey: await sealSecret(pair.privateKeyDer, passphrase, PURPOSE) }),
    });
    return new SiteIdentity(join(dataFolder, 'site'), siteId, pair.privateKey, pair.publicKey);
  }

  /**
   * The identity, unlocked. A sealed key needs its passphrase (EXCHANGE_SITE_LOCKED without,
   * EXCHANGE_BAD_PASSPHRASE when wrong); an unsealed one from an earlier version is sealed
   * under the passphrase now, if one is given.
   */
  static async load(dataFolder: string, passphrase?: string): Promise<SiteIdentity> {
    const stored = await readStored(dataFolder);
    const folder = join(dataFolder, 'site');
    if (stored.sealedPrivateKey) {
      if (passphrase === undefined)
        throw new ExchangeError(
          'EXCHANGE_SITE_LOCKED',
          `the key of site ${stored.siteId} is sealed under the site passphrase: an admin unlocks it (Exchange panel, or --passphrase-stdin on the command line)`,
        );
      const der = await openSealedSecret(stored.sealedPrivateKey, passphrase, PURPOSE);
      if (!der)
        throw new ExchangeError(
          'EXCHANGE_BAD_PASSPHRASE',
          `the site passphrase is wrong (or ${join(folder, 'identity.json')} was altered)`,
        );
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      if (rawPublicKey(createPublicKey(privateKey)).toString('base64') !== stored.publicKey)
        throw new ExchangeError(
          'EXCHANGE_BAD_KEY',
          `${join(folder, 'identity.json')}: the sealed key does not match the site's public key (the file was altered)`,
        );
      return new SiteIdentity(folder, stored.siteId, privateKey, stored.publicKey);
    }
    if (!stored.privateKey)
      throw new ExchangeError(
        'EXCHANGE_BAD_KEY',
        `${join(folder, 'identity.json')} holds no private key`,
      );
    const privateKey = createPrivateKey(stored.privateKey);
    if (passphrase === undefined)
      return new SiteIdentity(folder, stored.siteId, privateKey, stored.publicKey);
    // First unlock of a key an earlier version stored unsealed: seal it under this passphrase.
    const weak = passphraseProblem(passphrase);
    if (weak) throw new ExchangeError('EXCHANGE_WEAK_PASSPHRASE', weak);
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    await writeStored(dataFolder, {
      siteId: stored.siteId,
      publicKey: stored.publicKey,
      sealedPrivateKey: await sealSecret(der, passphrase, PURPOSE),
    });
    return new SiteIdentity(folder, stored.siteId, privateKey, stored.publicKey, true);
  }

  /** The public part and whether the key is sealed; needs no passphrase. */
  static async readPublic(dataFolder: string): Promise<PublicSite & { sealed: boolean }> {
    const stored = await readStored(dataFolder);
    return {
      siteId: stored.siteId,
      publicKey: stored.publicKey,
      fingerprint: fingerprintOf(stored.publicKey),
      sealed: Boolean(stored.sealedPrivateKey),
    };
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
    const entry = {
      siteId: site.siteId,
      publicKey: site.publicKey,
      fingerprint: fingerprintOf(site.publicKey),
    };
    const partners = await this.list();
    const known = partners.find((p) => p.siteId === site.siteId);
    if (known && known.publicKey !== site.publicKey)
      throw new ExchangeError(
        'EXCHANGE_BAD_KEY',
        `site ${site.siteId} is already known with another key (fingerprint ${known.fingerprint}); remove it first if the partner changed keys`,
      );
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
