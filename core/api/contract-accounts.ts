/**
 * API operations with which an admin manages local accounts (spread into the contract):
 * the list with each account's status, disabling and enabling, and a password reset.
 * Creating an account stays `users.create` (core/api/contract-review.ts), which is public so
 * the first admin can be made before anyone can sign in; its handler asks for an admin after.
 */
import { z } from 'zod';
import { roleSchema } from '../vocabulary/roles.ts';

const username = z.string().min(1).max(64);
const role = roleSchema;

export const accountSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  role,
  disabled: z.boolean(),
  disabledAt: z.string().optional(),
  /** Present while a lock after too many wrong passwords is in force. */
  lockedUntil: z.string().optional(),
});

export const accountOperations = {
  'users.list': {
    access: 'admin',
    summary:
      'Every local account with its role, full name, whether it is disabled, and any lock after wrong passwords.',
    args: z.strictObject({}),
    result: z.object({ users: z.array(accountSchema) }),
  },
  'users.setDisabled': {
    access: 'admin',
    summary:
      'Disable an account (it can no longer sign in or sign off) or enable it again; audited. Nobody disables their own account or the last enabled admin.',
    args: z.strictObject({ username, disabled: z.boolean() }),
    result: accountSchema,
  },
  'users.resetPassword': {
    access: 'admin',
    summary:
      'Give an account a new password (as strong as at creation), clearing failed attempts and any lock; audited without the password.',
    args: z.strictObject({ username, password: z.string().min(1).max(256) }),
    result: accountSchema,
  },
} as const;
