// The optional test cases: rows the user adds and removes (name, stdin, expected output).
import { el } from './dom';
import type { TestCase } from './generated';

export class TestCases {
  private next = 1; // numbers rows for unique label ids; never reused

  constructor(private readonly list: HTMLElement) {}

  /** Replaces the rows with {@code cases}, e.g. those of a reopened submission. */
  set(cases: TestCase[]): void {
    this.list.replaceChildren();
    for (const testCase of cases) {
      this.add(false);
      const row = this.list.lastElementChild as HTMLElement;
      const field = (name: string) => row.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`);
      if (testCase.name !== undefined) field('name')!.value = testCase.name;
      field('stdin')!.value = testCase.stdin ?? '';
      field('expected')!.value = testCase.expected_output;
    }
  }

  add(focus = true): void {
    const n = this.next++;
    const id = (field: string) => `test-${n}-${field}`;
    const remove = el('button', { type: 'button', class: 'secondary' }, 'Remove');
    const row = el('fieldset', { class: 'test-case' },
      el('legend', {}, `Test ${n}`),
      el('label', { for: id('name') }, 'Name'),
      el('input', { id: id('name'), name: 'name', type: 'text', maxlength: '128', value: `test ${n}` }),
      el('label', { for: id('stdin') }, 'Input (stdin)'),
      el('textarea', { id: id('stdin'), name: 'stdin', rows: '2', spellcheck: 'false' }),
      el('label', { for: id('expected') }, 'Expected output'),
      el('textarea', { id: id('expected'), name: 'expected', rows: '2', spellcheck: 'false' }),
      remove);
    remove.addEventListener('click', () => {
      row.remove();
      this.list.dispatchEvent(new Event('change'));
    });
    this.list.append(row);
    if (focus) row.querySelector('input')?.focus();
  }

  read(): TestCase[] {
    return [...this.list.querySelectorAll<HTMLFieldSetElement>('.test-case')].map((row) => {
      const value = (name: string) => row.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)?.value ?? '';
      const stdin = value('stdin');
      return { name: value('name') || undefined, stdin: stdin || undefined, expected_output: value('expected') };
    });
  }
}
