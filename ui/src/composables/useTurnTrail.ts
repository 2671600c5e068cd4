/**
 * A turn's causation chain as the server reads it from the log (Turn.trail): its events, what was retrieved, the
 * usage, the price and what the wallet took. Read once, when the user opens it: most cost lines are never explained.
 */
import { ref } from 'vue';
import { firstError, type UiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import type { TurnTrailQuery as TurnTrailResult } from '../graphql/generated/graphql';
import { useAppContext } from './app-context';

export const TurnTrailQuery = graphql(`
  query TurnTrail($id: ID!) {
    turn(id: $id) {
      id
      trail {
        events { position stream revision type at amount }
        model
        price { promptPer1k completionPer1k }
        hold
        retrieved { n documentId documentName revision chunkId score }
        usage { model promptTokens completionTokens }
        usageCost
        settlement
        charged
        problems
      }
    }
  }
`);

export type TurnTrail = NonNullable<TurnTrailResult['turn']>['trail'];

export function useTurnTrail(turnId: () => string) {
  const { api } = useAppContext();
  const trail = ref<TurnTrail>();
  const loading = ref(false);
  const error = ref<UiError>();

  async function load(): Promise<void> {
    if (trail.value || loading.value) return;
    loading.value = true;
    const result = await api.urql.query(TurnTrailQuery, { id: turnId() }, { requestPolicy: 'network-only' }).toPromise();
    loading.value = false;
    error.value = firstError(result.error);
    trail.value = result.data?.turn?.trail;
  }

  return { trail, loading, error, load };
}
