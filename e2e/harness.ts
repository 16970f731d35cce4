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

export async function openWorkstation(name: string, options: { viewport: { width: number; height: number }; beforeServe?: (workstation: Workstation) => Promise<void> }): Promise<Harness> {
  mkdirSync(artifacts, { recursive: true });
  const workstation = await createWorkstation(projectRoot, 'browser', () => {}, { dataFolder: mkdtempSync(join(tmpdir(), `neoscope-e2e-${name}-`)) });
  await options.beforeServe?.(workstation);
  const host = await startBrowserHost({ dispatch: workstation.dispatch, mounts: [{ prefix: '/', folder: workstation.rendererFolder }, { prefix: '/vendor/ort/', folder: workstation.ortFolder }] });
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
      workstation.data?.close();
    },
  };
}
