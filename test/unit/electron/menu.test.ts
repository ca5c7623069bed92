import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from '../../../electron/menu.js';

type Item = MenuItemConstructorOptions;
const sub = (item: Item) => item.submenu as Item[];
const labelled = (template: Item[], label: string) => template.find((m) => m.label === label)!;
const roles = (items: Item[]) => items.filter((i) => i.role).map((i) => i.role);
const click = (item: Item) => (item.click as unknown as () => void)();

describe('application menu', () => {
  it('File > Import Folder… is Ctrl/Cmd+O and sends importFolder; Quit is there off macOS', () => {
    const send = vi.fn();
    const template = buildMenuTemplate({ isMac: false, isDev: false, appName: 'AURA-KD SAR', send });
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', 'windowMenu', 'help']);
    const file = sub(labelled(template, '&File'));
    const importItem = file.find((i) => i.id === 'import-folder')!;
    expect(importItem.accelerator).toBe('CmdOrCtrl+O');
    click(importItem);
    expect(send).toHaveBeenCalledWith({ action: 'importFolder' });
    expect(roles(file)).toEqual(['quit']);
  });

  it('Edit has the usual roles; View navigates with Ctrl/Cmd+1..5, zooms and toggles full screen', () => {
    const send = vi.fn();
    const template = buildMenuTemplate({ isMac: false, isDev: false, appName: 'AURA-KD SAR', send });
    expect(roles(sub(labelled(template, '&Edit')))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
    const view = sub(labelled(template, '&View'));
    const nav = view.filter((i) => i.id?.startsWith('view-'));
    expect(nav.map((i) => [i.label, i.accelerator])).toEqual([
      ['Datasets', 'CmdOrCtrl+1'],
      ['Runs', 'CmdOrCtrl+2'],
      ['Compare Runs', 'CmdOrCtrl+3'],
      ['Models', 'CmdOrCtrl+4'],
      ['Classify Chips', 'CmdOrCtrl+5'],
    ]);
    click(nav[2]);
    expect(send).toHaveBeenLastCalledWith({ action: 'navigate', view: 'compare' });
    expect(roles(view)).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(roles(sub(template.find((m) => m.role === 'help')!))).toEqual(['about']);
  });

  it('offers reload and DevTools only in development', () => {
    const dev = buildMenuTemplate({ isMac: false, isDev: true, appName: 'A', send: () => undefined });
    expect(roles(sub(labelled(dev, '&View')))).toEqual(['reload', 'forceReload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('has the app menu on macOS and closes the window from File there', () => {
    const template = buildMenuTemplate({ isMac: true, isDev: false, appName: 'AURA-KD SAR', send: () => undefined });
    expect(template[0].label).toBe('AURA-KD SAR');
    expect(roles(sub(template[0]))).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(roles(sub(labelled(template, '&File')))).toEqual(['close']);
  });
});
