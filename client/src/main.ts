import { mount } from 'svelte';
import App from './App.svelte';
import { loadFirstLanguage } from './lib/i18n/index.svelte.js';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
// Mounted in the device's language from the first paint, never in another one for a moment.
void loadFirstLanguage().then(() => mount(App, { target }));
