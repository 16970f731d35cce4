/**
 * One workstation (with its own temporary data folder) served by the browser host and
 * opened in Debian's Chromium: what each end-to-end file starts from.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../core/testing/shared-data.ts';
import { createWorkstation, type Workstation } from '../core/workstation/create-workstation.ts';
import { startBrowserHost, type BrowserHost } from '../host/server.ts';
import { launchChromium } from './chromium.ts';

export const artifacts = join(projectRoot, 'e2e', 'artifacts');

export interface Harness {
  workstation: Workstation;
  host: BrowserHost;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Patient data needs a signed-in user: files that are not about accounts start signed in as this admin. */
export const E2E_ADMIN = {
  username: 'admin',
  displayName: 'Site Admin',
  role: 'admin',
  password: 'admin-pass-1',
} as const;

export async function signInThroughApi(
  workstation: Workstation,
  account: { username: string; password: string } = E2E_ADMIN,
): Promise<void> {
  const status = await workstation.dispatch('auth.status', {});
  if (status.ok && (status.value as { accounts: number }).accounts === 0)
    await workstation.dispatch('users.create', E2E_ADMIN);
  const login = await workstation.dispatch('auth.login', {
    username: account.username,
    password: account.password,
  });
  if (!login.ok) throw new Error(`e2e sign-in failed: ${login.error.message}`);
}

/** Signs in through the header's Sign in… form, as a user would. */
export async function signInThroughUi(page: Page, username: string, password: string) {
  await page.getByRole('button', { name: 'Sign in…' }).click();
  const form = page.locator('form.sign-in');
  await form.getByLabel('User name').fill(username);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.locator('button[type=submit]').click();
}

export async function openWorkstation(
  name: string,
  options: {
    viewport: { width: number; height: number };
    beforeServe?: (workstation: Workstation) => Promise<void>;
    signedOut?: boolean;
  },
): Promise<Harness> {
  mkdirSync(artifacts, { recursive: true });
  const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
    dataFolder: mkdtempSync(join(tmpdir(), `neoscope-e2e-${name}-`)),
  });
  await options.beforeServe?.(workstation);
  if (!options.signedOut) await signInThroughApi(workstation);
  const host = await startBrowserHost({
    dispatch: workstation.dispatch,
    events: workstation.events,
    mounts: [
      { prefix: '/', folder: workstation.rendererFolder },
      { prefix: '/vendor/ort/', folder: workstation.ortFolder },
    ],
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: options.viewport, acceptDownloads: true });
  await page.goto(host.url);
  return {
    workstation,
    host,
    browser,
    page,
    async close() {
      await browser.close();
      await host.close();
      await workstation.close();
    },
  };
}
