// Light or dark. The page follows the system's setting (style.css: color-scheme and
// light-dark()); the toggle overrides it, and the override is remembered in localStorage (a
// preference, not a secret). Choosing what the system shows anyway clears the override, so the
// page goes back to following the system.

type Theme = 'light' | 'dark';

const STORAGE_NAME = 'crucible.theme';
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

function stored(): Theme | undefined {
  try {
    const value = localStorage.getItem(STORAGE_NAME);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined; // storage refused (some private modes): no override
  }
}

function store(theme: Theme | undefined): void {
  try {
    if (theme) localStorage.setItem(STORAGE_NAME, theme);
    else localStorage.removeItem(STORAGE_NAME);
  } catch {
    // not remembered, still applied below for this page
  }
}

function system(): Theme {
  return systemDark.matches ? 'dark' : 'light';
}

/** Sets the override on <html data-theme>, or removes it. Runs once at load, before the rest of the page. */
export function applyTheme(theme: Theme | undefined = stored()): Theme {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  return theme ?? system();
}

export function setUpThemeToggle(toggle: HTMLButtonElement): void {
  const show = (theme: Theme) => toggle.setAttribute('aria-pressed', String(theme === 'dark'));
  toggle.addEventListener('click', () => {
    const next: Theme = toggle.getAttribute('aria-pressed') === 'true' ? 'light' : 'dark';
    const override = next === system() ? undefined : next;
    store(override);
    show(applyTheme(override));
  });
  // The system switched (at dusk, say), or another tab chose.
  systemDark.addEventListener('change', () => show(applyTheme()));
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_NAME || event.key === null) show(applyTheme());
  });
  show(applyTheme());
}
