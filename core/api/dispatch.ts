/**
 * Generic server side of the contract: validates the operation name, the arguments and
 * the handler's result, and turns every failure into an error body with a stable code.
 * Both transports call this and nothing else.
 */
import { z } from 'zod';
import {
  contract,
  isOperationName,
  type Access,
  type OperationName,
  type OperationResult,
} from './contract.ts';
import { ApiError, toApiErrorBody, type ApiErrorBody } from '../base/errors.ts';

export type ApiHandlers = {
  [N in OperationName]: (
    args: z.output<(typeof contract)[N]['args']>,
  ) => Promise<OperationResult<N>>;
};

export type ApiResponse = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

export type ApiDispatcher = (operation: unknown, args: unknown) => Promise<ApiResponse>;

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`,
  );
}

/**
 * Checks the caller against an operation's declared access; throws a coded error
 * (AUTH_REQUIRED, AUTH_FORBIDDEN) to refuse. The workstation passes one backed by its session.
 */
export type Authorizer = (access: Access, operation: OperationName) => void;

/** Without a session nobody is signed in: only public operations answer. */
export const publicOnly: Authorizer = (access) => {
  if (access !== 'public') throw new ApiError({ code: 'AUTH_REQUIRED', message: 'sign in first' });
};

export function createDispatcher(
  handlers: ApiHandlers,
  log: (line: string) => void = () => {},
  authorize: Authorizer = publicOnly,
): ApiDispatcher {
  return async (operation, args) => {
    if (!isOperationName(operation)) {
      return {
        ok: false,
        error: {
          code: 'API_UNKNOWN_OPERATION',
          message: `Unknown operation ${JSON.stringify(String(operation)).slice(0, 80)}.`,
        },
      };
    }
    const spec = contract[operation];
    // Access first: a caller who may not use an operation learns nothing, not even its argument rules.
    try {
      authorize(spec.access, operation);
    } catch (error) {
      return { ok: false, error: toApiErrorBody(error) };
    }
    const parsedArgs = spec.args.safeParse(args ?? {});
    if (!parsedArgs.success) {
      const details = describeIssues(parsedArgs.error);
      return {
        ok: false,
        error: {
          code: 'API_INVALID_ARGUMENTS',
          message: `Invalid arguments for ${operation}: ${details[0]}`,
          details,
        },
      };
    }
    let value: unknown;
    try {
      const handler = handlers[operation] as (validArgs: unknown) => Promise<unknown>;
      value = await handler(parsedArgs.data);
    } catch (error) {
      const body = toApiErrorBody(error);
      if (body.code === 'API_INTERNAL')
        log(`${operation} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { ok: false, error: body };
    }
    const parsedResult = spec.result.safeParse(value);
    if (!parsedResult.success) {
      const details = describeIssues(parsedResult.error);
      log(`${operation} returned an invalid result: ${details.join('; ')}`);
      return {
        ok: false,
        error: {
          code: 'API_INVALID_RESULT',
          message: `The service returned an invalid result for ${operation}.`,
          details,
        },
      };
    }
    return { ok: true, value: parsedResult.data };
  };
}
