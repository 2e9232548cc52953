// The API key lives in sessionStorage only: it is gone when the tab closes, it is not shared
// with other tabs, and it never goes into localStorage or the URL (where history, logs and
// Referer headers would keep it).

const STORAGE_NAME = 'crucible.apiKey';

export function getKey(): string {
  return sessionStorage.getItem(STORAGE_NAME) ?? '';
}

export function setKey(key: string): void {
  if (key) sessionStorage.setItem(STORAGE_NAME, key);
  else sessionStorage.removeItem(STORAGE_NAME);
}
