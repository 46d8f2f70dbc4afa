// The current time as a ref that ticks, for durations of runs still going.
import { onBeforeUnmount, ref, type Ref } from 'vue';

export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = window.setInterval(() => (now.value = Date.now()), intervalMs);
  onBeforeUnmount(() => window.clearInterval(timer));
  return now;
}
