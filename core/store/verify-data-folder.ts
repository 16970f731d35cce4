/**
 * `neoscope audit verify`: everything in a data folder that must agree, checked in order.
 *  1. the audit log's hash chain (a break stops here: nothing after it can be trusted);
 *  2. every signed report: canonical bytes, content hash, the sign-off the audit log
 *     recorded, and the signer's Ed25519 signature by a key the account had at the time;
 *     every sign-off the log records has its file (a deleted v1.json is named);
 *  3. the chain against every checkpoint known (kept beside the log, recorded in it, or given
 *     with --checkpoint from a PDF or package that left the machine): not shorter, and the
 *     same hash at each checkpoint's entry;
 *  4. the database replayed against the audit log (core/audit/replay.ts): accounts' roles and
 *     status, signing keys, patient records, instance summaries, field-change history.
 * Every problem is a line "CODE: message"; the first is named again at the end.
 * Where each part lives: core/store/data-layout.ts.
 */
import { resolve } from 'node:path';
import {
  anchorProblem,
  knownAnchors,
  readAuditEntries,
  verifyAuditLog,
  type ChainAnchor,
} from '../audit/audit-log.ts';
import { replayAgainstDatabase } from '../audit/replay.ts';
import { checkSignedReports } from '../reports/signed-reports.ts';
import { openDatabase, type Database } from './database.ts';
import { dataLayout, isDataFolder } from './data-layout.ts';

/** Databases this process holds open (SQLite here is exclusive: verify reads through the same handle). */
const openHere = new Map<string, Database>();

export function registerOpenDatabase(dataFolder: string, db: Database | undefined): void {
  if (db) openHere.set(resolve(dataFolder), db);
  else openHere.delete(resolve(dataFolder));
}

export interface VerifyProblem {
  code: string;
  message: string;
}

export interface VerifyOptions {
  /** Checkpoints that left the machine (a PDF footer, a package manifest): "N entries, hash H". */
  checkpoints?: { entries: number; hash: string }[];
}

export async function verifyDataFolder(
  dataFolder: string,
  options: VerifyOptions = {},
): Promise<{ ok: boolean; lines: string[]; problems: VerifyProblem[] }> {
  const paths = dataLayout(dataFolder);
  const chain = await verifyAuditLog(paths.auditLog);
  if (!chain.ok) {
    const problem = {
      code: 'AUDIT_CHAIN_BROKEN',
      message: `audit log BROKEN at entry ${chain.brokenAt} (line ${chain.line} of ${paths.auditLog}): ${chain.reason}`,
    };
    return {
      ok: false,
      lines: [`${problem.code}: ${problem.message}`, `${chain.entries} entries before it verify`],
      problems: [problem],
    };
  }
  const entries = await readAuditEntries(paths.auditLog);
  const lines = [`audit log intact: ${chain.entries} entries, last hash ${chain.lastHash}`];
  const problems: VerifyProblem[] = [];

  const held = openHere.get(resolve(dataFolder));
  const db = held ?? (isDataFolder(dataFolder) ? openDatabase(dataFolder) : undefined);
  try {
    const keyHistory = db
      ? (username: string) =>
          db
            .all('SELECT public_key, fingerprint FROM signing_keys WHERE username = ?', [username])
            .map((r) => ({ publicKey: String(r.public_key), fingerprint: String(r.fingerprint) }))
      : undefined;
    const reports = await checkSignedReports(paths.reports, entries, keyHistory);
    for (const p of reports.problems)
      problems.push({ code: p.code, message: `signed report BROKEN: ${p.file}: ${p.reason}` });
    if (!reports.problems.length)
      lines.push(
        `signed reports intact: ${reports.reports} version(s)${reports.legacyUnsigned ? `, ${reports.legacyUnsigned} of them signed before per-signer keys (hash and audit log checked, no signature)` : ''}`,
      );

    const anchors: ChainAnchor[] = [
      ...(await knownAnchors(paths.auditLog, entries)),
      ...(options.checkpoints ?? []).map((c) => ({
        ...c,
        source: 'the checkpoint given to audit verify',
      })),
    ];
    const cut = anchorProblem(entries, anchors);
    if (cut) problems.push(cut);
    else
      lines.push(
        anchors.length
          ? `checkpoints: the chain passes through all ${anchors.length} known`
          : 'checkpoints: none has left this machine yet (entries removed from the end cannot be noticed until one has)',
      );

    if (db) {
      const replay = replayAgainstDatabase(db, entries);
      problems.push(...replay.problems);
      if (!replay.problems.length) {
        const c = replay.counts;
        lines.push(
          `database agrees with the audit log: ${c.accounts} account(s), ${c.keys} signing key(s), ${c.patients} patient record(s), ${c.instances} instance(s)${c.legacyInstances ? ` (${c.legacyInstances} imported before summaries were recorded: present, not compared)` : ''}, ${c.fieldChanges} field change(s)`,
        );
      }
    } else
      lines.push('no database in this folder: accounts, patients and field changes not checked');
  } finally {
    if (db && !held) db.close();
  }
  if (problems.length)
    lines.push(
      ...problems.map((p) => `${p.code}: ${p.message}`),
      `audit verify FAILED: ${problems.length} problem(s); the first: ${problems[0]!.code}`,
    );
  return { ok: problems.length === 0, lines, problems };
}
