/** The application menu: the usual roles, plus the app's own views with keyboard shortcuts. */
import type { MenuItemConstructorOptions } from 'electron';

export function menuTemplate(options: {
  isMac: boolean;
  appName: string;
  onAddFolder: () => void;
  openHelp: () => void;
}): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (options.isMac) template.push({ label: options.appName, role: 'appMenu' });
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: options.onAddFolder },
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: 'Edit', role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Window', role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About Anytag', click: options.openHelp }] },
  );
  return template;
}
