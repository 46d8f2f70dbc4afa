// Light, dark, or whatever the OS prefers: the choice is a setting of the workbench, applied as
// `data-theme` on <html>. Charts paint with resolved colours, so they watch `themeChanges`.
import { ref } from 'vue';
import type { EngineHost, Settings } from '@shared/api';

export type ThemeChoice = Settings['theme'];

export const themeChanges = ref(0);

window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => themeChanges.value++);

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  themeChanges.value++;
}

/** A CSS colour variable as the browser resolves it under the current theme, e.g. `rgb(47, 99, 214)`. */
export function cssColor(el: Element, variable: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${variable})`;
  el.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

/** The theme choice as the app shows it (navigation and Settings alike). */
export const themeChoice = ref<ThemeChoice>('system');

/** Applies a choice at once and keeps it as the workbench's setting; resolves with the error message if saving failed. */
export async function chooseTheme(host: EngineHost, choice: ThemeChoice): Promise<string | null> {
  themeChoice.value = choice;
  applyTheme(choice);
  try {
    await host.call('settings.set', { theme: choice });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
