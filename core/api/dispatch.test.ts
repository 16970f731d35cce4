import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DicomError } from '../dicom/errors.ts';
import { OPERATION_NAMES, contract } from './contract.ts';
import { createDispatcher, type ApiHandlers, type Authorizer } from './dispatch.ts';

/** A signed-in caller, for tests about what happens after the access check. */
const anyone: Authorizer = () => {};

function handlers(overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  const fail = async () => {
    throw new Error('not used in this test');
  };
  return {
    'app.info': async () => ({
      product: 'NeoScope',
      version: '1.2.3',
      host: 'browser',
      samplesFolder: '/s',
      modelsFolder: '/m',
    }),
    'library.list': async () => ({ instances: [] }),
    'library.importSamples': fail,
    'library.importFiles': fail,
    'library.describePhotos': fail,
    'image.frame': fail,
    'models.list': async () => ({ models: [], slots: [] }),
    'models.file': fail,
    'models.import': fail,
    'auth.status': fail,
    'auth.login': fail,
    'auth.logout': fail,
    'users.create': fail,
    'review.open': fail,
    'review.analyze': fail,
    'review.setField': fail,
    'review.copyEye': fail,
    'patients.addWeights': fail,
    'review.sign': fail,
    'review.amend': fail,
    'review.history': fail,
    'report.pdf': fail,
    'report.dicom': fail,
    'patients.set': fail,
    'measure.ctr': fail,
    'patients.trajectory': fail,
    'exchange.status': fail,
    'exchange.initSite': fail,
    'exchange.addPartner': fail,
    'exchange.createBatch': fail,
    'exchange.importBatch': fail,
    'exchange.exportResults': fail,
    'exchange.importResults': fail,
    'exchange.receivedResults': fail,
    'worklist.exams': fail,
    'worklist.markViewed': fail,
    'annotations.list': fail,
    'annotations.save': fail,
    'annotations.delete': fail,
    'users.list': fail,
    'users.setDisabled': fail,
    'users.resetPassword': fail,
    'validation.report': fail,
    'models.compare': fail,
    'models.activate': fail,
    'inference.engine': fail,
    'inference.run': fail,
    ...overrides,
  };
}

const id = 'a'.repeat(64);

test('a valid call returns the validated result', async () => {
  const response = await createDispatcher(handlers())('app.info', {});
  assert.deepEqual(response, {
    ok: true,
    value: {
      product: 'NeoScope',
      version: '1.2.3',
      host: 'browser',
      samplesFolder: '/s',
      modelsFolder: '/m',
    },
  });
});

test('unknown operations, including prototype names, are refused', async () => {
  const dispatch = createDispatcher(handlers());
  for (const name of ['nope', 'toString', '__proto__', 42, undefined]) {
    const response = await dispatch(name, {});
    assert.equal(response.ok, false);
    assert.equal(!response.ok && response.error.code, 'API_UNKNOWN_OPERATION');
  }
});

test('wrong argument types, extra keys and missing fields are API_INVALID_ARGUMENTS with details', async () => {
  const dispatch = createDispatcher(handlers(), () => {}, anyone);
  const cases: unknown[] = [
    { instanceId: id, frame: -1 },
    { instanceId: id, frame: 1.5 },
    { instanceId: 'short', frame: 0 },
    { instanceId: id },
    { instanceId: id, frame: 0, extra: true },
    'not an object',
  ];
  for (const args of cases) {
    const response = await dispatch('image.frame', args);
    assert.equal(response.ok, false, JSON.stringify(args));
    if (!response.ok) {
      assert.equal(response.error.code, 'API_INVALID_ARGUMENTS');
      assert.ok(response.error.details?.length, 'details name the offending field');
    }
  }
  const files = await dispatch('library.importFiles', {
    files: [{ name: 'x.dcm', bytes: [1, 2, 3] }],
  });
  assert.equal(!files.ok && files.error.code, 'API_INVALID_ARGUMENTS');
});

test('a domain error keeps its code, message and file; an unexpected one is hidden', async () => {
  const logged: string[] = [];
  const dispatch = createDispatcher(
    handlers({
      'image.frame': async () => {
        throw new DicomError(
          'DICOM_TRUNCATED_PIXEL_DATA',
          'truncated pixel data: 1,204 of 8,192 bytes',
          'a.dcm',
        );
      },
      'library.list': async () => {
        throw new TypeError('secret internal detail');
      },
    }),
    (line) => logged.push(line),
    anyone,
  );
  const domain = await dispatch('image.frame', { instanceId: id, frame: 0 });
  assert.deepEqual(domain, {
    ok: false,
    error: {
      code: 'DICOM_TRUNCATED_PIXEL_DATA',
      message: 'truncated pixel data: 1,204 of 8,192 bytes',
      file: 'a.dcm',
    },
  });
  const internal = await dispatch('library.list', {});
  assert.equal(!internal.ok && internal.error.code, 'API_INTERNAL');
  assert.ok(!internal.ok && !internal.error.message.includes('secret'));
  assert.ok(
    logged.some((line) => line.includes('secret internal detail')),
    'the log keeps the detail',
  );
});

test('a handler result that breaks the contract is not passed on', async () => {
  const dispatch = createDispatcher(
    handlers({ 'library.list': async () => ({ instances: [{ bogus: true }] }) as never }),
    () => {},
    anyone,
  );
  const response = await dispatch('library.list', {});
  assert.equal(!response.ok && response.error.code, 'API_INVALID_RESULT');
});

test('every operation declares its access; without a session only public ones answer, before any argument check', async () => {
  let calls = 0;
  const counting = Object.fromEntries(
    OPERATION_NAMES.map((name) => [name, async () => void calls++]),
  ) as unknown as ApiHandlers;
  const dispatch = createDispatcher(counting);
  const publicOps = OPERATION_NAMES.filter((name) => contract[name].access === 'public');
  assert.deepEqual(publicOps.sort(), [
    'app.info',
    'auth.login',
    'auth.logout',
    'auth.status',
    'models.file',
    'models.list',
    'users.create',
  ]);
  for (const name of OPERATION_NAMES) {
    if (contract[name].access === 'public') continue;
    const response = await dispatch(name, { not: 'valid' });
    assert.equal(!response.ok && response.error.code, 'AUTH_REQUIRED', name);
  }
  assert.equal(calls, 0, 'no handler ran');
  const refusedAdmin: Authorizer = (access) => {
    if (access === 'admin')
      throw Object.assign(new Error('admins only'), { code: 'AUTH_FORBIDDEN' });
  };
  const asReader = createDispatcher(counting, () => {}, refusedAdmin);
  const install = await asReader('models.import', { name: 'x.zip', bytes: new Uint8Array(1) });
  assert.equal(!install.ok && install.error.code, 'AUTH_FORBIDDEN');
});
