import { mount } from 'svelte';
import App from './App.svelte';
import { createClient } from './lib/api/client.js';
import { CLIENT_KEY } from './lib/api/context.js';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target, context: new Map([[CLIENT_KEY, createClient()]]) });
