// The "Example" of the evaluations panel: a small, valid EvaluationRequest in the function-level
// format (Python), two problems, a few samples each, some right and some wrong, so that pass@k
// comes out between 0 and 100 % and k = 5 shows the undefined case.
export function exampleEvaluation(): string {
  const request = {
    runtime: 'python',
    k: [1, 2, 5],
    problems: [
      {
        id: 'add',
        prompt: 'def add(a, b):\n',
        test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n',
        entry_point: 'add',
        samples: ['    return a + b\n', '    return b + a\n', '    return a - b\n'],
      },
      {
        id: 'is_even',
        prompt: 'def is_even(n):\n',
        test: 'def check(candidate):\n    assert candidate(4) is True\n    assert candidate(7) is False\n',
        entry_point: 'is_even',
        samples: ['    return n % 2 == 0\n', '    return n % 2 == 1\n'],
      },
    ],
  };
  return `${JSON.stringify(request, null, 2)}\n`;
}
