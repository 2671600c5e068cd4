/**
 * A workspace's own wallet, for its owners: its figures (null until the first funding opens it), its ledger newest
 * first with who asked each question, and funding it from the owner's wallet with one reference per intended funding
 * (kept until it succeeds or the amount changes), so a double click or a retry after a lost answer moves the money
 * once. No live updates reach a workspace's wallet (walletUpdated is the caller's own): it is read again after a
 * funding and when the owner asks (`refresh`).
 */
import { useQuery } from '@urql/vue';
import { computed, ref, watch } from 'vue';
import { newDepositReference } from '../components/WalletAmounts';
import { firstError, type UiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import type { WorkspaceWalletLedgerPageQuery as LedgerPageResult } from '../graphql/generated/graphql';
import { useAppContext } from './app-context';
import { useLedgerPages, WalletFiguresQuery, type WalletFigures } from './useWallet';

export const WorkspaceWalletQuery = graphql(`
  query WorkspaceWallet($id: ID!) {
    workspace(id: $id) { id wallet { userId balance reserved available } }
  }
`);

export const WorkspaceWalletLedgerPageQuery = graphql(`
  query WorkspaceWalletLedgerPage($id: ID!, $after: String, $before: String, $newestFirst: Boolean, $limit: Int) {
    workspace(id: $id) {
      id
      wallet {
        userId
        ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {
          kind amount balanceAfter reference turnId apiKeyId askedBy model promptTokens completionTokens position at
        }
      }
    }
  }
`);

export const FundWorkspaceMutation = graphql(`
  mutation FundWorkspace($workspaceId: ID!, $amount: Micros!, $reference: String!) {
    fundWorkspace(workspaceId: $workspaceId, amount: $amount, reference: $reference) {
      id
      wallet { userId balance reserved available }
    }
  }
`);

type WorkspaceLedgerLine = NonNullable<NonNullable<LedgerPageResult['workspace']>['wallet']>['ledger'][number];

const noAnswer: UiError = { code: 'INTERNAL', message: 'no answer' };

/** `enabled`: the user may see and fund the wallet (an OWNER, or an admin); nothing is read otherwise. */
export function useWorkspaceWallet(workspaceId: () => string, enabled: () => boolean) {
  const { api } = useAppContext();
  const figuresQuery = useQuery({
    query: WorkspaceWalletQuery,
    variables: computed(() => ({ id: workspaceId() })),
    pause: computed(() => !enabled()),
    requestPolicy: 'network-only',
  });
  /** The owner's own wallet, which the funding comes from. */
  const ownQuery = useQuery({ query: WalletFiguresQuery, pause: computed(() => !enabled()), requestPolicy: 'network-only' });
  const ledger = useLedgerPages<WorkspaceLedgerLine>(async (variables) => {
    const result = await api.urql
      .query(WorkspaceWalletLedgerPageQuery, { id: workspaceId(), ...variables }, { requestPolicy: 'network-only' })
      .toPromise();
    const data = result.data?.workspace;
    return { page: data ? (data.wallet?.ledger ?? []) : undefined, error: firstError(result.error) };
  });

  const figures = computed<WalletFigures | null | undefined>(() => {
    const workspace = figuresQuery.data.value?.workspace;
    return workspace === undefined ? undefined : (workspace?.wallet ?? null);
  });
  /** Opened by a first funding: the ledger has something to read from then on. */
  const opened = computed(() => !!figures.value);
  watch(opened, (open) => open && void ledger.catchUp(), { immediate: true });

  const reference = ref(newDepositReference());
  const busy = ref(false);

  async function refresh(): Promise<void> {
    await Promise.all([
      figuresQuery.executeQuery({ requestPolicy: 'network-only' }),
      ownQuery.executeQuery({ requestPolicy: 'network-only' }),
      opened.value ? ledger.catchUp() : undefined,
    ]);
  }

  /** Moves `amount` micro-credits from the owner's wallet into the workspace's: its figures after, or the error. */
  async function fund(amount: number): Promise<{ wallet?: WalletFigures; error?: UiError }> {
    busy.value = true;
    try {
      const result = await api.urql.mutation(FundWorkspaceMutation, { workspaceId: workspaceId(), amount, reference: reference.value }).toPromise();
      const wallet = result.data?.fundWorkspace.wallet;
      if (!wallet) return { error: firstError(result.error) ?? noAnswer };
      reference.value = newDepositReference();
      await refresh();
      return { wallet };
    } finally {
      busy.value = false;
    }
  }

  return {
    figures,
    /** The owner's available credits, undefined until known. */
    ownAvailable: computed(() => ownQuery.data.value?.wallet.available),
    opened,
    loading: computed(() => figuresQuery.fetching.value && !figuresQuery.data.value),
    error: computed(() => firstError(figuresQuery.error.value)),
    ledger,
    busy,
    fund,
    refresh,
    /** Another amount is another funding: it must not be taken for a retry of the previous one. */
    newIntent: () => (reference.value = newDepositReference()),
  };
}
