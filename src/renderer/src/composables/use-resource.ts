// Data loaded from the engine for a screen: the value, the error message, whether a load is in
// flight, and a reload. A newer load always wins over an older one still in flight.
import { ref, shallowRef, watch, type Ref, type ShallowRef, type WatchSource } from 'vue';
import { errorMessage } from '@shared/format';

export interface Resource<T> {
  data: ShallowRef<T | null>;
  error: Ref<string | null>;
  loading: Ref<boolean>;
  reload(): Promise<void>;
}

export function useResource<T>(load: () => Promise<T>, sources: WatchSource[] = []): Resource<T> {
  const data = shallowRef<T | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let latest = 0;
  const reload = async () => {
    const mine = ++latest;
    loading.value = true;
    try {
      const value = await load();
      if (mine === latest) {
        data.value = value;
        error.value = null;
      }
    } catch (e) {
      if (mine === latest) error.value = errorMessage(e);
    } finally {
      if (mine === latest) loading.value = false;
    }
  };
  watch(sources, () => void reload(), { immediate: true });
  return { data, error, loading, reload };
}
