/** The dashboard's entry point: starts the app in `#app`. */
import { startApp } from './app.js';

const root = document.getElementById('app');
if (root) startApp(root);
