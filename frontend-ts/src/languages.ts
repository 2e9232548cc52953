// Per runtime: the CodeMirror language that highlights it, and a hello-world to start from.
// Language packs are loaded on first use (a separate chunk each), so the first page load
// carries only the editor. Unknown runtimes get a plain editor and an empty template.
import type { Extension } from '@codemirror/state';
import { StreamLanguage } from '@codemirror/language';

interface LanguageSupport {
  load: () => Promise<Extension>;
  hello: string;
}

const LANGUAGES: Record<string, LanguageSupport> = {
  python: {
    load: () => import('@codemirror/lang-python').then((m) => m.python()),
    hello: 'print("Hello, world!")\n',
  },
  node: {
    load: () => import('@codemirror/lang-javascript').then((m) => m.javascript()),
    hello: 'console.log("Hello, world!");\n',
  },
  bash: {
    load: () => import('@codemirror/legacy-modes/mode/shell').then((m) => StreamLanguage.define(m.shell)),
    hello: 'echo "Hello, world!"\n',
  },
  c: {
    load: () => import('@codemirror/lang-cpp').then((m) => m.cpp()),
    hello: '#include <stdio.h>\n\nint main(void) {\n    printf("Hello, world!\\n");\n    return 0;\n}\n',
  },
  cpp: {
    load: () => import('@codemirror/lang-cpp').then((m) => m.cpp()),
    hello: '#include <iostream>\n\nint main() {\n    std::cout << "Hello, world!" << std::endl;\n    return 0;\n}\n',
  },
  java: {
    load: () => import('@codemirror/lang-java').then((m) => m.java()),
    hello: 'public class Main {\n    public static void main(String[] args) {\n        System.out.println("Hello, world!");\n    }\n}\n',
  },
  go: {
    load: () => import('@codemirror/legacy-modes/mode/go').then((m) => StreamLanguage.define(m.go)),
    hello: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, world!")\n}\n',
  },
  rust: {
    load: () => import('@codemirror/lang-rust').then((m) => m.rust()),
    hello: 'fn main() {\n    println!("Hello, world!");\n}\n',
  },
};

// Other names a server may give the same languages (runtimes also list aliases).
const ALIASES: Record<string, string> = {
  python3: 'python', py: 'python', 'python-science': 'python', javascript: 'node', js: 'node', nodejs: 'node',
  sh: 'bash', shell: 'bash', 'c++': 'cpp', golang: 'go', rs: 'rust',
};

function lookup(names: string[]): LanguageSupport | undefined {
  for (const name of names) {
    const key = name.toLowerCase();
    const found = LANGUAGES[key] ?? LANGUAGES[ALIASES[key] ?? ''];
    if (found) return found;
  }
  return undefined;
}

export function helloWorld(names: string[]): string {
  return lookup(names)?.hello ?? '';
}

export async function loadLanguage(names: string[]): Promise<Extension> {
  return (await lookup(names)?.load()) ?? [];
}

export function isTemplate(source: string): boolean {
  return source.trim() === '' || Object.values(LANGUAGES).some((l) => l.hello === source);
}
