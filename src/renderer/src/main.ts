// Renderer entry: pick the host (Electron bridge or browser host), connect the live job events,
// and mount the app.
import { createApp } from 'vue';
import './styles/theme.css';
import './styles/base.css';
import App from './App.vue';
import { provideWorkbenchTo } from './composables/workbench';
import { pickHost } from './host/host';
import StartupProblem from './StartupProblem.vue';
import { createJobsStore } from './stores/jobs';

const choice = pickHost();
if ('problem' in choice) {
  createApp(StartupProblem, { message: choice.problem }).mount('#app');
} else {
  const app = createApp(App);
  provideWorkbenchTo(app, { host: choice.host, jobs: createJobsStore(choice.host) });
  app.mount('#app');
}
