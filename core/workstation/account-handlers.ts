/**
 * Handlers for account management (core/api/contract-accounts.ts). The dispatcher has
 * already checked that an admin is signed in; each handler checks again and names that
 * admin as the actor in the audit log. They need the persistent data folder.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { CodedError } from '../api/errors.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { Accounts, AuthError } from '../users/accounts.ts';
import type { Session } from '../users/session.ts';

type AccountOps = 'users.list' | 'users.setDisabled' | 'users.resetPassword';

class StoreRequired extends CodedError<'STORE_REQUIRED'> {}

export function createAccountHandlers(deps: {
  data?: DataFolder;
  session: Session;
}): Pick<ApiHandlers, AccountOps> {
  const { data, session } = deps;
  const accounts = data ? new Accounts(data.db, data.audit) : undefined;
  const need = () => {
    if (!accounts)
      throw new StoreRequired(
        'STORE_REQUIRED',
        'this workstation runs without a data folder (preview); accounts need one',
      );
    const user = session.require();
    if (user.role !== 'admin')
      throw new AuthError(
        'AUTH_FORBIDDEN',
        `only an admin manages accounts (${user.username} is ${user.role})`,
      );
    return { accounts, admin: user.username };
  };
  return {
    'users.list': async () => ({ users: need().accounts.list() }),
    'users.setDisabled': async ({ username, disabled }) => {
      const { accounts, admin } = need();
      return accounts.setDisabled(username, disabled, admin);
    },
    'users.resetPassword': async ({ username, password }) => {
      const { accounts, admin } = need();
      return accounts.resetPassword(username, password, admin);
    },
  };
}
