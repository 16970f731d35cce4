/**
 * The dispatcher's access check backed by the workstation's session: `signed-in` operations
 * need a live session (signed in, not locked by the idle timer), `admin` ones an admin.
 */
import type { Authorizer } from '../api/dispatch.ts';
import { AuthError } from '../users/accounts.ts';
import type { Session } from '../users/session.ts';

export function sessionAuthorizer(session: Session): Authorizer {
  return (access, operation) => {
    if (access === 'public') return;
    const user = session.require();
    if (access === 'admin' && user.role !== 'admin')
      throw new AuthError(
        'AUTH_FORBIDDEN',
        `${operation} is for admins (${user.username} is ${user.role})`,
      );
  };
}
