import { describe, expect, it } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import { mergeResolvers } from './resolvers.ts';

describe('mergeResolvers', () => {
  it('merges the fields of each type from several features', () => {
    const me = () => null;
    const wallet = () => null;
    const merged = mergeResolvers([{ Query: { me } }, { Query: { wallet }, Wallet: { ledger: () => [] } }]) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(merged.Query!)).toEqual(['me', 'wallet']);
    expect(merged.Query!.me).toBe(me);
    expect(Object.keys(merged.Wallet!)).toEqual(['ledger']);
  });

  it('refuses the same field from two features', () => {
    expect(() => mergeResolvers([{ Query: { me: () => null } }, { Query: { me: () => null } }])).toThrow(
      'resolver Query.me is defined twice',
    );
  });

  it('gives DomainErrors thrown when a subscription starts their extensions.code', async () => {
    const merged = mergeResolvers([
      {
        Subscription: {
          walletUpdated: {
            subscribe: () => {
              throw new DomainError('FORBIDDEN', 'not yours', { userId: 'u2' });
            },
          },
        },
      },
    ]) as { Subscription: { walletUpdated: { subscribe: () => Promise<unknown> } } };
    await expect(merged.Subscription.walletUpdated.subscribe()).rejects.toMatchObject({
      message: 'not yours',
      extensions: { code: 'FORBIDDEN', userId: 'u2' },
    });
  });
});
