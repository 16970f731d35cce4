/**
 * The signed-in user of this workstation process. Any call after IDLE_LOCK_MINUTES without
 * activity finds the session locked (the reader signs in again); patient data stays on
 * screen only as long as someone is there.
 */
import { AuthError, type User } from './accounts.ts';

export const IDLE_LOCK_MINUTES = 15;

export class Session {
  private user?: User;
  private lastActivity = 0;

  constructor(
    private readonly now: () => number = () => Date.now(),
    readonly idleLockMinutes = IDLE_LOCK_MINUTES,
  ) {}

  signIn(user: User): void {
    this.user = user;
    this.lastActivity = this.now();
  }

  signOut(): void {
    this.user = undefined;
  }

  /** The current user if the session is live (and marks activity); undefined otherwise. */
  peek(): User | undefined {
    if (this.user && this.now() - this.lastActivity > this.idleLockMinutes * 60_000)
      this.user = undefined;
    return this.user;
  }

  require(): User {
    const wasSignedIn = Boolean(this.user);
    const user = this.peek();
    if (!user)
      throw new AuthError(
        'AUTH_REQUIRED',
        wasSignedIn
          ? `locked after ${this.idleLockMinutes} minutes without activity: sign in again`
          : 'sign in first',
      );
    this.lastActivity = this.now();
    return user;
  }
}
