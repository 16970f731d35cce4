import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions } from './parse-options.ts';

const OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  model: { type: 'string', multiple: true },
} as const;

test('flags, repeated flags and positionals are read; problems are said in the usage words', () => {
  const parsed = parseOptions(
    ['FILE', '--data', 'd', '--model', 'a', '--model', 'b', '--json'],
    OPTIONS,
  );
  assert.equal(parsed.problem, undefined);
  if (parsed.problem === undefined) {
    assert.deepEqual(parsed.positionals, ['FILE']);
    assert.deepEqual({ ...parsed.values }, { data: 'd', model: ['a', 'b'], json: true });
  }
  const problems = [
    [['--password', 'x'], 'unexpected "--password"'],
    [['--data'], '--data needs a value'],
    [
      ['--data', '--json'],
      '--data needs a value (one that starts with "-" is written --data=VALUE)',
    ],
    [['--json=yes'], '--json takes no value'],
  ] as const;
  for (const [args, problem] of problems)
    assert.equal(parseOptions([...args], OPTIONS).problem, problem, args.join(' '));
  const dashed = parseOptions(['--data=-OD-'], OPTIONS);
  assert.equal(dashed.problem, undefined, 'a value starting with "-" is given with "="');
  if (dashed.problem === undefined) assert.equal(dashed.values.data, '-OD-');
});
