import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelError } from '../model-errors.ts';
import {
  ENGINE_ERROR_CODES,
  InferenceError,
  inferenceErrorBody,
  isInferenceErrorCode,
  MODEL_ERROR_CODES,
} from './inference-errors.ts';

test('a coded error crosses the worker boundary with its code, message and file', () => {
  const error = new ModelError('MODEL_SELF_TEST_FAILED', 'case 2 differs', 'manifest.json');
  assert.deepEqual(inferenceErrorBody(error, 'run'), {
    code: 'MODEL_SELF_TEST_FAILED',
    message: 'case 2 differs',
    file: 'manifest.json',
  });
  const notLoaded = new InferenceError('INFERENCE_SESSION_NOT_LOADED', 'model a@1 is not loaded');
  assert.equal(inferenceErrorBody(notLoaded, 'release').code, 'INFERENCE_SESSION_NOT_LOADED');
});

test("ONNX Runtime's uncoded errors get the code of the step that failed", () => {
  const corrupt = new Error(
    "Can't create a session. Failed to load model because protobuf parsing failed.",
  );
  assert.deepEqual(inferenceErrorBody(corrupt, 'load'), {
    code: 'MODEL_CORRUPT',
    message: corrupt.message,
  });
  const noGpu = new Error('no available backend found. ERR: [webgpu] Error: no adapter');
  assert.equal(inferenceErrorBody(noGpu, 'load').code, 'ENGINE_UNAVAILABLE');
  assert.equal(
    inferenceErrorBody(new Error('input dims differ'), 'run').code,
    'INFERENCE_RUN_FAILED',
  );
  assert.equal(inferenceErrorBody(new Error('lost'), 'probe').code, 'ENGINE_UNAVAILABLE');
  assert.equal(inferenceErrorBody('thrown text', 'run').message, 'thrown text');
  const unknownCode = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
  assert.equal(inferenceErrorBody(unknownCode, 'run').code, 'INFERENCE_RUN_FAILED');
});

test('the model and engine codes are one list each, without overlap', () => {
  const all = [...MODEL_ERROR_CODES, ...ENGINE_ERROR_CODES];
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.every(isInferenceErrorCode));
  assert.equal(isInferenceErrorCode('API_INTERNAL'), false);
  assert.ok(MODEL_ERROR_CODES.every((code) => code.startsWith('MODEL_')));
});
