import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkerFailure } from '../../../core/base/worker-requests.ts';
import { failureCode, failureText } from './failure-text.ts';

test('a coded failure is stated with its code; an uncoded one by its message', () => {
  const corrupt = new WorkerFailure('MODEL_CORRUPT', 'protobuf parsing failed');
  assert.equal(failureText(corrupt), 'MODEL_CORRUPT: protobuf parsing failed');
  assert.equal(failureCode(corrupt), 'MODEL_CORRUPT');
  assert.equal(failureText(new Error('network down')), 'network down');
  assert.equal(failureCode(new Error('network down')), undefined);
  assert.equal(failureText('plain'), 'plain');
  assert.equal(failureText(undefined), 'undefined');
});
