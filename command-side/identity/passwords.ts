/**
 * Password hashing at the edge (never inside a decider): argon2id with OWASP's minimum parameters (19 MiB, t=2,
 * p=1), which keep a hash near tens of milliseconds on our 2-core machines. Verification of an unknown email runs
 * against a dummy hash of the same cost so both failures take about the same time.
 */
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Spends the time of a real verification and answers false. */
  verifyNothing(password: string): Promise<false>;
}

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function createArgon2Hasher(options: Partial<typeof ARGON2_OPTIONS> = {}): PasswordHasher {
  const settings = { ...ARGON2_OPTIONS, ...options };
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= argon2.hash(randomBytes(16).toString('hex'), settings));
  return {
    hash: (password) => argon2.hash(password, settings),
    async verify(passwordHash, password) {
      try {
        return await argon2.verify(passwordHash, password);
      } catch {
        return false;
      }
    },
    async verifyNothing(password) {
      await argon2.verify(await dummyHash(), password).catch(() => false);
      return false;
    },
  };
}
