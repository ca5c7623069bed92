/** Names the shell and electron-builder.yml must agree on (checked by test/unit/electron/packaging.test.ts). */
export const PRODUCT_NAME = 'AURA-KD SAR';
/** appId in electron-builder.yml (Windows taskbar grouping, macOS bundle id). */
export const APP_ID = 'org.aurakd.sar';
