/** DevTools exist only when running from source: a packaged app has neither the setting nor the menu item. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workstationMenuTemplate } from './menu.ts';
import { workstationWindowOptions } from './window-options.ts';

test('DevTools are off in a packaged app and on only when running from source', () => {
  assert.equal(
    workstationWindowOptions('/app/preload.cjs', { isPackaged: true }).webPreferences!.devTools,
    false,
  );
  assert.equal(
    workstationWindowOptions('/app/preload.cjs', { isPackaged: false }).webPreferences!.devTools,
    true,
  );
});

test('the View menu offers DevTools only when running from source', () => {
  const actions = { importFiles: () => {}, importFolder: () => {}, showShortcuts: () => {} };
  const roles = (isPackaged: boolean) =>
    workstationMenuTemplate(actions, false, { isPackaged }).flatMap((menu) =>
      Array.isArray(menu.submenu) ? menu.submenu.map((item) => item.role) : [],
    );
  assert.ok(!roles(true).includes('toggleDevTools'), 'packaged: no DevTools menu item');
  assert.ok(roles(false).includes('toggleDevTools'), 'from source: DevTools in the View menu');
});
