/**
 * Handlers for signing in and for local accounts (core/api/contract-review.ts `auth.*`,
 * `users.create`; core/api/contract-accounts.ts). The dispatcher has already checked the
 * operation's access; the admin operations name the signed-in admin as the actor.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { AuthError } from '../users/accounts.ts';
import type { Services } from './services.ts';

type AccountOps =
  | 'auth.status'
  | 'auth.login'
  | 'auth.logout'
  | 'users.create'
  | 'users.list'
  | 'users.setDisabled'
  | 'users.resetPassword';

export function createAccountHandlers(services: Services): Pick<ApiHandlers, AccountOps> {
  const session = services.get('session');
  const accounts = () => services.get('accounts');
  const admin = () => session.require().username;
  return {
    'auth.status': async () => {
      const user = session.peek();
      return {
        accounts: services.find('accounts')?.count() ?? 0,
        ...(user ? { user } : {}),
        idleLockMinutes: session.idleLockMinutes,
      };
    },
    'auth.login': async ({ username, password }) => {
      const user = await accounts().authenticate(username, password, 'login');
      session.signIn(user);
      return user;
    },
    'auth.logout': async () => {
      session.signOut();
      return {};
    },
    // Public so the first admin can be made before anyone can sign in; an admin after that.
    'users.create': async (args) => {
      if (accounts().count() === 0) {
        if (args.role !== 'admin')
          throw new AuthError(
            'AUTH_FORBIDDEN',
            'the first account must be an admin, who then creates the readers',
          );
        return accounts().create(args, 'first-run');
      }
      const user = session.require();
      if (user.role !== 'admin')
        throw new AuthError('AUTH_FORBIDDEN', 'only an admin creates accounts');
      return accounts().create(args, user.username);
    },
    'users.list': async () => ({ users: accounts().list() }),
    'users.setDisabled': async ({ username, disabled }) =>
      accounts().setDisabled(username, disabled, admin()),
    'users.resetPassword': async ({ username, password }) =>
      accounts().resetPassword(username, password, admin()),
  };
}
