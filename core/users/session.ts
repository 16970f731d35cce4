/**
 * The signed-in user of this workstation process. Any call after IDLE_LOCK_MINUTES without
 * activity finds the session locked (the reader signs in again); patient data stays on
 * screen only as long as someone is there. Whoever listens hears sign-in, sign-out and the
 * lock; a timer notices the lock when it falls due, so a page can forget patient data at that
 * moment instead of at its next call.
 */
import { AuthError, type User } from './accounts.ts';

export const IDLE_LOCK_MINUTES = 15;

export type SessionChange = 'signed-in' | 'signed-out' | 'locked';

export class Session {
  private user?: User;
  private lastActivity = 0;
  private readonly listeners = new Set<(change: SessionChange) => void>();
  private lockTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly now: () => number = () => Date.now(),
    readonly idleLockMinutes = IDLE_LOCK_MINUTES,
  ) {}

  /** Hears every change of who is signed in; returns the unsubscribe. */
  onChange(listener: (change: SessionChange) => void): () => void {
    this.listeners.add(listener);
    if (this.user) this.watchIdleLock();
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) this.stopWatching();
    };
  }

  signIn(user: User): void {
    this.user = user;
    this.lastActivity = this.now();
    this.watchIdleLock();
    this.tell('signed-in');
  }

  signOut(): void {
    const wasSignedIn = Boolean(this.user);
    this.user = undefined;
    this.stopWatching();
    if (wasSignedIn) this.tell('signed-out');
  }

  /** The current user if the session is live; undefined otherwise. Marks no activity. */
  peek(): User | undefined {
    if (this.user && this.now() - this.lastActivity > this.idleLockMinutes * 60_000) {
      this.user = undefined;
      this.stopWatching();
      this.tell('locked');
    }
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

  private tell(change: SessionChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  /** Wakes when the lock would fall due; activity since then moves the next wake-up on. */
  private watchIdleLock(): void {
    this.stopWatching();
    if (!this.listeners.size || !this.user) return;
    const due = this.lastActivity + this.idleLockMinutes * 60_000 - this.now();
    this.lockTimer = setTimeout(
      () => {
        this.lockTimer = undefined;
        if (this.peek()) this.watchIdleLock();
      },
      Math.max(due, 0) + 50,
    );
    this.lockTimer.unref?.();
  }

  private stopWatching(): void {
    if (this.lockTimer) clearTimeout(this.lockTimer);
    this.lockTimer = undefined;
  }
}
