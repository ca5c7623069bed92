/** Renderer entry: picks the API transport, then mounts the app (or a readable startup error). */
import { createApp, h } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createApiClient, errorMessage, setApiClient } from './api/index.js';
import './styles.css';

function startupError(message: string) {
  return {
    render: () =>
      h('div', { class: 'startup-error' }, [h('h1', 'The app could not connect'), h('p', message)]),
  };
}

try {
  setApiClient(createApiClient());
  createApp(App).use(createPinia()).mount('#app');
} catch (error) {
  createApp(startupError(errorMessage(error))).mount('#app');
}
