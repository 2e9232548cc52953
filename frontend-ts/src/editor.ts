// The source editor: CodeMirror 6, its language switched with the runtime.
//
// Why a shadow root: CodeMirror injects its styles at run time. In a document it does that
// with <style> elements, which a Content-Security-Policy of `style-src 'self'` blocks (unless
// each page carries a fresh nonce, which a static page served by nginx cannot). Inside a
// shadow root it uses constructable stylesheets (adoptedStyleSheets), which CSP does not
// govern, so the page keeps the strict policy. See CSP.md.
import { basicSetup } from 'codemirror';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { loadLanguage } from './languages';

export interface SourceEditor {
  getSource(): string;
  setSource(source: string): void;
  setLanguage(runtimeNames: string[]): Promise<void>;
  focus(): void;
}

// Page styles don't reach into the shadow root, but inherited custom properties do: the editor's
// colours are the page's variables (style.css), so it follows the light or dark theme by itself.
// The selectors match the specificity of CodeMirror's base theme, which this one then overrides.
const theme = EditorView.theme({
  '&': {
    border: '1px solid var(--input-line)', borderRadius: '4px', fontSize: '14px',
    backgroundColor: 'var(--input-bg)', color: 'var(--fg)',
  },
  '&.cm-focused': { outline: '3px solid var(--accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '14em', maxHeight: '32em' },
  '.cm-content': { minHeight: '14em', caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--pre-bg)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--active-line)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
    { backgroundColor: 'var(--selection)' },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--bracket-match)', color: 'inherit' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--line)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--on-accent)' },
});

// CodeMirror's default highlighting, its colours taken from the page's theme (--syn-* in style.css).
const highlighting = HighlightStyle.define([
  { tag: tags.meta, color: 'var(--syn-meta)' },
  { tag: tags.link, textDecoration: 'underline' },
  { tag: tags.heading, textDecoration: 'underline', fontWeight: 'bold' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.strong, fontWeight: 'bold' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: tags.keyword, color: 'var(--syn-keyword)' },
  { tag: [tags.atom, tags.bool, tags.url, tags.contentSeparator, tags.labelName], color: 'var(--syn-atom)' },
  { tag: [tags.literal, tags.inserted], color: 'var(--syn-literal)' },
  { tag: [tags.string, tags.deleted], color: 'var(--syn-string)' },
  { tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: 'var(--syn-regexp)' },
  { tag: tags.definition(tags.variableName), color: 'var(--syn-definition)' },
  { tag: tags.local(tags.variableName), color: 'var(--syn-local)' },
  { tag: [tags.typeName, tags.namespace], color: 'var(--syn-type)' },
  { tag: tags.className, color: 'var(--syn-class)' },
  { tag: [tags.special(tags.variableName), tags.macroName], color: 'var(--syn-special)' },
  { tag: tags.definition(tags.propertyName), color: 'var(--syn-property)' },
  { tag: tags.comment, color: 'var(--syn-comment)' },
  { tag: tags.invalid, color: 'var(--syn-invalid)' },
]);

export function createEditor(host: HTMLElement, label: string): SourceEditor {
  const root = host.attachShadow({ mode: 'open' });
  const language = new Compartment();
  const view = new EditorView({
    root,
    parent: root,
    extensions: [
      basicSetup, // no indentWithTab: Tab keeps moving focus, so the editor is no keyboard trap
      theme,
      // basicSetup's default style is only a fallback: this one takes its place.
      syntaxHighlighting(highlighting),
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
