// The source editor: CodeMirror 6, its language switched with the runtime.
//
// Why a shadow root: CodeMirror injects its styles at run time. In a document it does that
// with <style> elements, which a Content-Security-Policy of `style-src 'self'` blocks (unless
// each page carries a fresh nonce, which a static page served by nginx cannot). Inside a
// shadow root it uses constructable stylesheets (adoptedStyleSheets), which CSP does not
// govern, so the page keeps the strict policy. See CSP.md.
import { basicSetup } from 'codemirror';
import { Compartment } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { loadLanguage } from './languages';

export interface SourceEditor {
  getSource(): string;
  setSource(source: string): void;
  setLanguage(runtimeNames: string[]): Promise<void>;
  focus(): void;
}

// Page styles don't reach into the shadow root, so the editor's look is set here.
const theme = EditorView.theme({
  '&': { border: '1px solid #8a8f98', borderRadius: '4px', backgroundColor: '#fff', fontSize: '14px' },
  '&.cm-focused': { outline: '3px solid #1a5fb4', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '14em', maxHeight: '32em' },
  '.cm-content': { minHeight: '14em' },
});

export function createEditor(host: HTMLElement, label: string): SourceEditor {
  const root = host.attachShadow({ mode: 'open' });
  const language = new Compartment();
  const view = new EditorView({
    root,
    parent: root,
    extensions: [
      basicSetup, // no indentWithTab: Tab keeps moving focus, so the editor is no keyboard trap
      theme,
      language.of([]),
      EditorView.contentAttributes.of({ 'aria-label': label }),
    ],
  });
  let languageRequest = 0;
  return {
    getSource: () => view.state.doc.toString(),
    setSource: (source) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: source } }),
    async setLanguage(names) {
      const request = ++languageRequest;
      const extension = await loadLanguage(names);
      // A later choice may have finished loading first; the last one chosen wins.
      if (request === languageRequest) view.dispatch({ effects: language.reconfigure(extension) });
    },
    focus: () => view.focus(),
  };
}
