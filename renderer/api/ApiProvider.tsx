/**
 * The API client for the components below, through React context instead of a prop passed
 * down every level, and the hook with which a component hears a workstation event for as
 * long as it is mounted.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { ApiClient, PageEventMap, PageEventName } from './client.ts';

const ApiContext = createContext<ApiClient | undefined>(undefined);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside <ApiProvider>: the page has no API client');
  return client;
}

/** Calls `listener` on each `event` while the component is mounted (the latest listener). */
export function useApiEvent<N extends PageEventName>(
  event: N,
  listener: (payload: PageEventMap[N]) => void,
): void {
  const api = useApi();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.on(event, (payload) => latest.current(payload)), [api, event]);
}
