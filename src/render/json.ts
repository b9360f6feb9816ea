import { escapeControls } from '../base/text/controls.js';

// JSON.stringify escapes C0 controls but not DEL and C1: escaped too, so `papers ... --format json` is inert.
export function safeJson(value: unknown, indent?: number): string {
  return escapeControls(JSON.stringify(value, null, indent), 'high', 'u');
}

export function renderJson(value: unknown): string {
  return `${safeJson(value, 2)}\n`;
}
