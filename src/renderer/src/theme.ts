// Light, dark, or whatever the OS prefers: the choice is a setting of the workbench, applied as
// `data-theme` on <html>. Charts paint with resolved colours, so they watch `themeChanges`.
import { ref } from 'vue';
import type { Settings } from '@shared/api';

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
