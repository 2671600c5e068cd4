import { describe, expect, it } from 'vitest';
import { apiKeyVariables } from './useApiKeys';

const form = { name: ' CI ', knowledgeBaseIds: ['kb1'], creditsPerDay: '', requestsPerMinute: '' };

describe('the API key form', () => {
  it('sends no limit for empty fields and credits as micro-credits', () => {
    expect(apiKeyVariables(form)).toEqual({ variables: { name: 'CI', knowledgeBaseIds: ['kb1'], creditsPerDay: null, requestsPerMinute: null } });
    expect(apiKeyVariables({ ...form, creditsPerDay: '2.5', requestsPerMinute: '60' })).toMatchObject({
      variables: { creditsPerDay: 2_500_000, requestsPerMinute: 60 },
    });
  });

  it('refuses what the server would refuse, in the user’s words', () => {
    expect(apiKeyVariables({ ...form, name: '  ' })).toEqual({ invalid: 'nameRequired' });
    for (const credits of ['0', '-1', 'abc', '0.0000001']) expect(apiKeyVariables({ ...form, creditsPerDay: credits })).toEqual({ invalid: 'badCredits' });
    for (const rate of ['0', '1.5', 'x']) expect(apiKeyVariables({ ...form, requestsPerMinute: rate })).toEqual({ invalid: 'badRate' });
  });
});
