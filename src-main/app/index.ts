// The Electron main entry (electron-vite builds it to out/main/index.js).
import { startApp } from './main.js';

startApp().catch((error: unknown) => {
  console.error('Anytag could not start:', error);
  process.exit(1);
});
