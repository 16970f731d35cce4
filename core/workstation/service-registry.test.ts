import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceRegistry } from './service-registry.ts';

interface Services {
  clock: { now: () => number };
  counter: { next: () => number };
  a: unknown;
  b: unknown;
}

const registry = () =>
  new ServiceRegistry<Services>((name) => new Error(`no ${String(name)} here`));

test('a service is built once, on first use, from the services it asks for', () => {
  let built = 0;
  const services = registry()
    .register('clock', () => ({ now: () => 42 }))
    .register('counter', (s) => {
      built++;
      let n = s.get('clock').now();
      return { next: () => n++ };
    });
  assert.equal(built, 0);
  assert.equal(services.get('counter').next(), 42);
  assert.equal(services.get('counter').next(), 43);
  assert.equal(built, 1);
  assert.equal(services.get('counter'), services.get('counter'));
});

test('a name is registered once; an unknown one answers the registry’s error', () => {
  const services = registry().register('clock', () => ({ now: () => 0 }));
  assert.throws(() => services.register('clock', () => ({ now: () => 1 })), /registered already/);
  assert.throws(() => services.get('counter'), /no counter here/);
  assert.equal(services.find('counter'), undefined);
  assert.equal(services.has('clock'), true);
});

test('services that need each other in a circle are named, not left to overflow the stack', () => {
  const services = registry()
    .register('a', (s) => s.get('b'))
    .register('b', (s) => s.get('a'));
  assert.throws(() => services.get('a'), /a → b → a/);
});
