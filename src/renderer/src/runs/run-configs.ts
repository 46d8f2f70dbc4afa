// The configurations of listed runs, for their key parameters and grouping. runs.list carries no
// configs, so each is read once with runs.get; a run's config never changes, so this window keeps them.
import { shallowRef, watch, type Ref, type ShallowRef, type WatchSource } from 'vue';
import type { EngineHost } from '@shared/api';

const cache = new Map<string, unknown>();
/** Parallel runs.get requests: enough to fill a page quickly, few enough to leave the engine free. */
const PARALLEL = 4;

/** A map id → config that fills in as the configs of the runs in `ids` arrive. */
export function useRunConfigs(host: EngineHost, ids: WatchSource<readonly string[]>, error: Ref<string | null>): ShallowRef<ReadonlyMap<string, unknown>> {
  const configs = shallowRef<ReadonlyMap<string, unknown>>(new Map(cache));
  watch(
    ids,
    async (list) => {
      const missing = list.filter((id) => !cache.has(id));
      const next = async (): Promise<void> => {
        const id = missing.shift();
        if (id === undefined) return;
        try {
          cache.set(id, (await host.call('runs.get', { id })).config);
          configs.value = new Map(cache);
        } catch (e) {
          error.value = `Could not read the configuration of run ${id}: ${(e as Error).message}`;
        }
        return next();
      };
      await Promise.all(Array.from({ length: PARALLEL }, next));
    },
    { immediate: true },
  );
  return configs;
}
