/**
 * DailySpend in Redis (daily-spend.ts): one counter per key and UTC day, `<namespace>credits:<keyId>:<day>`, kept
 * two days. Each admission and settlement is one Lua script, so it is atomic across every api instance.
 */
import { Redis } from 'ioredis';
import type { DailySpend } from './daily-spend.ts';

const KEEP_SECONDS = 2 * 86_400;

/** KEYS[1] counter; ARGV amount, limit, seed (or '' when not read yet), ttl. -> {1, spent} | {0, spent} | {-1} (no counter, no seed). */
const ADMIT = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[3] == '' then return {-1, 0} end
  redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4], 'NX')
end
local spent = tonumber(redis.call('GET', KEYS[1]))
if spent + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, spent} end
return {1, redis.call('INCRBY', KEYS[1], ARGV[1])}`;

/** KEYS[1] counter; ARGV[1] what to take off (worst case minus cost). A counter gone (expired) stays gone. */
const SETTLE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  local left = redis.call('DECRBY', KEYS[1], ARGV[1])
  if left < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
end
return 1`;

export function redisDailySpend(redisUrl: string, namespace = 'ka-api-keys:'): DailySpend {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  const run = async (amount: number, limit: number, key: string, seed: string) =>
    (await redis.eval(ADMIT, 1, key, amount, limit, seed, KEEP_SECONDS)) as [number, number];
  return {
    async admit(apiKeyId, day, amount, limit, seed) {
      const key = `${namespace}credits:${apiKeyId}:${day}`;
      let [verdict, spent] = await run(amount, limit, key, '');
      if (verdict === -1) [verdict, spent] = await run(amount, limit, key, String(await seed()));
      if (verdict !== 1) return { admitted: false, spent };
      return {
        admitted: true,
        admission: {
          async settle(cost) {
            await redis.eval(SETTLE, 1, key, amount - cost);
          },
        },
      };
    },
    close: async () => {
      await redis.quit().catch(() => undefined);
    },
  };
}
