/**
 * The wallet page's data: the caller's balance kept live by walletUpdated, the ledger newest first, read page by
 * page back in time (cursor: a line's log position) with what live updates add put on top, the spend per day, and
 * for admins finding a user and depositing to them.
 */
import { useQuery, useSubscription } from '@urql/vue';
import { computed, ref, watch, type Ref } from 'vue';
import { newDepositReference } from '../components/WalletAmounts';
import { firstError, type UiError } from '../graphql/errors';
import { graphql } from '../graphql/generated';
import type { WalletLedgerPageQuery as LedgerPageResult } from '../graphql/generated/graphql';
import { useAppContext } from './app-context';

export const WalletFiguresQuery = graphql(`
  query WalletFigures {
    wallet { userId balance reserved available }
  }
`);

export const WalletLedgerPageQuery = graphql(`
  query WalletLedgerPage($after: String, $before: String, $newestFirst: Boolean, $limit: Int) {
    wallet {
      userId
      ledger(after: $after, before: $before, newestFirst: $newestFirst, limit: $limit) {
        kind amount balanceAfter reference turnId model promptTokens completionTokens position at
      }
    }
  }
`);

export const WalletUpdatedSubscription = graphql(`
  subscription WalletUpdated {
    walletUpdated { userId balance reserved available }
  }
`);

export const SpendUsageQuery = graphql(`
  query SpendUsage {
    usage { day model turns promptTokens completionTokens cost }
  }
`);

export const DepositUsersQuery = graphql(`
  query DepositUsers($search: String, $limit: Int) {
    users(search: $search, limit: $limit) { id email displayName role }
  }
`);

export const DepositCreditsMutation = graphql(`
  mutation DepositCredits($userId: ID!, $amount: Micros!, $reference: String!) {
    deposit(userId: $userId, amount: $amount, reference: $reference) { userId balance reserved available }
  }
`);

export interface WalletFigures {
  balance: number;
  reserved: number;
  available: number;
}

export type LedgerEntry = LedgerPageResult['wallet']['ledger'][number];

export const LEDGER_PAGE_SIZE = 50;

/** Most lines one live update can add (a deposit, or a hold and its charge); more are read on the next update. */
const CATCH_UP_LIMIT = 500;

export interface LedgerPageVariables {
  after?: string;
  before?: string;
  newestFirst: boolean;
  limit: number;
}

/** Reads one page of some wallet's ledger: its lines, or the error to show. */
export type LedgerPageReader<L> = (variables: LedgerPageVariables) => Promise<{ page?: L[]; error?: UiError }>;

/**
 * A ledger newest first (the caller's, or a workspace's: `readPage` says which): `readNextPage` reads the page before
 * the oldest line shown; `catchUp` reads what was written after the newest line shown (a live update) and puts it on
 * top.
 */
export function useLedgerPages<L extends { position: string }>(readPage: LedgerPageReader<L>) {
  const lines = ref<L[]>([]) as Ref<L[]>;
  const hasMore = ref(false);
  const loading = ref(false);
  const error = ref<UiError>();
  // One read at a time: two overlapping reads from the same cursor would show the same lines twice.
  let reading = Promise.resolve();

  function read(variables: LedgerPageVariables, place: (page: L[]) => void) {
    reading = reading.then(async () => {
      loading.value = true;
      const result = await readPage(variables);
      loading.value = false;
      error.value = result.error;
      if (result.page) place(result.page);
    });
    return reading;
  }

  function readOlder(): Promise<void> {
    const before = lines.value.at(-1)?.position;
    return read({ ...(before && { before }), newestFirst: true, limit: LEDGER_PAGE_SIZE }, (page) => {
      lines.value = [...lines.value, ...page];
      hasMore.value = page.length === LEDGER_PAGE_SIZE;
    });
  }

  function catchUp(): Promise<void> {
    const after = lines.value[0]?.position;
    if (!after) return readOlder();
    return read({ after, newestFirst: false, limit: CATCH_UP_LIMIT }, (page) => {
      lines.value = [...[...page].reverse(), ...lines.value];
    });
  }

  return { lines, hasMore, loading, error, readNextPage: readOlder, catchUp };
}

export function useWallet() {
  const { api } = useAppContext();
  const figuresQuery = useQuery({ query: WalletFiguresQuery });
  // The query's answer and the live updates write the same place: whichever came last is the newest.
  const figures = ref<WalletFigures>();
  /** Counts live updates, for whatever else on the page should follow them. */
  const updates = ref(0);
  const ledger = useLedgerPages<LedgerEntry>(async (variables) => {
    const result = await api.urql.query(WalletLedgerPageQuery, variables, { requestPolicy: 'network-only' }).toPromise();
    return { page: result.data?.wallet.ledger, error: firstError(result.error) };
  });

  watch(figuresQuery.data, (data) => data && (figures.value = data.wallet), { immediate: true });
  useSubscription({ query: WalletUpdatedSubscription }, (_previous, data) => {
    figures.value = data.walletUpdated;
    updates.value++;
    void ledger.catchUp();
    return data;
  });
  void ledger.readNextPage();

  return {
    figures,
    updates,
    error: computed(() => firstError(figuresQuery.error.value)),
    ledger,
  };
}

export function useSpendUsage() {
  const query = useQuery({ query: SpendUsageQuery });
  return {
    usage: computed(() => query.data.value?.usage ?? []),
    error: computed(() => firstError(query.error.value)),
    refresh: () => query.executeQuery({ requestPolicy: 'network-only' }),
  };
}

const SEARCH_DEBOUNCE_MS = 250;
const USERS_SHOWN = 20;

/** Users whose email or name contains what the admin types (everyone, first 20, before anything is typed). */
export function useUserSearch(search: Ref<string>) {
  const settled = ref(search.value);
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(search, (value) => {
    clearTimeout(timer);
    timer = setTimeout(() => (settled.value = value), SEARCH_DEBOUNCE_MS);
  });
  const searchOf = (text: string) => text.trim() || null;
  const query = useQuery({
    query: DepositUsersQuery,
    variables: computed(() => ({ search: searchOf(settled.value), limit: USERS_SHOWN })),
    requestPolicy: 'network-only',
  });
  // Only the answer to what is typed now: an earlier search's users must not be taken for this one's.
  const answersTyped = computed(() => query.operation.value?.variables.search === searchOf(search.value));
  return {
    users: computed(() => (answersTyped.value ? (query.data.value?.users ?? []) : [])),
    searching: computed(() => query.fetching.value || !answersTyped.value),
    error: computed(() => firstError(query.error.value)),
  };
}

/**
 * Deposits with one reference per intended deposit: the same reference until one succeeds (or the admin changes
 * what to deposit), so a double click or a retry after a lost answer deposits once.
 */
export function useDeposit() {
  const { api } = useAppContext();
  const reference = ref(newDepositReference());
  const busy = ref(false);

  async function deposit(userId: string, amount: number): Promise<{ wallet?: WalletFigures; error?: UiError }> {
    busy.value = true;
    try {
      const result = await api.urql.mutation(DepositCreditsMutation, { userId, amount, reference: reference.value }).toPromise();
      if (!result.data?.deposit) return { error: firstError(result.error) ?? { code: 'INTERNAL', message: '' } };
      reference.value = newDepositReference();
      return { wallet: result.data.deposit };
    } finally {
      busy.value = false;
    }
  }

  return { busy, deposit, newIntent: () => (reference.value = newDepositReference()) };
}
