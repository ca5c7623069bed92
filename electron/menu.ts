/** The application menu as a template; commands for the renderer go out through `send`. */
import type { MenuItemConstructorOptions } from 'electron';
import type { AppView, MenuCommand } from './preload-api.js';

export interface MenuOptions {
  isMac: boolean;
  isDev: boolean;
  appName: string;
  send: (command: MenuCommand) => void;
}

const VIEW_ITEMS: { view: AppView; label: string }[] = [
  { view: 'datasets', label: 'Datasets' },
  { view: 'runs', label: 'Runs' },
  { view: 'compare', label: 'Compare Runs' },
  { view: 'models', label: 'Models' },
  { view: 'classify', label: 'Classify Chips' },
];

export function buildMenuTemplate({ isMac, isDev, appName, send }: MenuOptions): MenuItemConstructorOptions[] {
  const sep: MenuItemConstructorOptions = { type: 'separator' };
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    template.push({
      label: appName,
      submenu: [{ role: 'about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
    });
  }
  template.push({
    label: '&File',
    submenu: [
      { id: 'import-folder', label: 'Import Folder…', accelerator: 'CmdOrCtrl+O', click: () => send({ action: 'importFolder' }) },
      sep,
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'delete' }, sep, { role: 'selectAll' }],
  });
  template.push({
    label: '&View',
    submenu: [
      ...VIEW_ITEMS.map(
        ({ view, label }, i): MenuItemConstructorOptions => ({
          id: `view-${view}`,
          label,
          accelerator: `CmdOrCtrl+${i + 1}`,
          click: () => send({ action: 'navigate', view }),
        }),
      ),
      sep,
      ...(isDev ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, sep] as MenuItemConstructorOptions[] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  template.push({ role: 'help', submenu: [{ role: 'about', label: `About ${appName}` }] });
  return template;
}
