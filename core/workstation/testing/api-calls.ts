/**
 * What the workstation API tests call through: the same dispatcher the HTTP host and IPC
 * use. `call` returns an operation's value or throws its error with the code; `fails`
 * asserts that an operation is refused with a given code (and, when given, message).
 */
import assert from 'node:assert/strict';
import type { OperationName } from '../../api/contract.ts';
import type { Workstation } from '../create-workstation.ts';

export function apiCalls(workstation: Pick<Workstation, 'dispatch'>) {
  const call = async (op: OperationName, args: unknown) => {
    const response = await workstation.dispatch(op, args);
    if (!response.ok)
      throw Object.assign(new Error(response.error.message), { code: response.error.code });
    return response.value as never;
  };
  const fails = (op: OperationName, args: unknown, code: string, message?: RegExp) =>
    assert.rejects(
      call(op, args),
      (e: Error & { code?: string }) => e.code === code && (!message || message.test(e.message)),
    );
  return { call, fails };
}
