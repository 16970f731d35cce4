/**
 * The bundled main.ts run as the workstation service under plain Node, standing in for
 * Electron's utilityProcess (its binary is not available to tests): a `--require` shim
 * stubs `electron`, sets process.type 'utility' and gives it a parentPort over Node IPC with
 * structured clone; main's own service client talks to it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceClient } from '../service-client.ts';

const AS_UTILITY = `const Module = require('node:module');
const load = Module.prototype.require;
Module.prototype.require = function (id) { return id === 'electron' ? {} : load.apply(this, arguments); };
Object.defineProperty(process, 'type', { value: 'utility' });
process.parentPort = {
  on: (_event, listener) => process.on('message', (data) => listener({ data })),
  postMessage: (message) => process.send(message),
};
`;

/** Writes the utility-role shim into `folder`; its path is what `startUtilityService` needs. */
export function writeUtilityShim(folder: string): string {
  const path = join(folder, 'as-utility.cjs');
  writeFileSync(path, AS_UTILITY);
  return path;
}

export interface UtilityService {
  service: ReturnType<typeof createServiceClient>;
  child: ChildProcess;
  /** Everything the service printed so far, for failure messages. */
  output(): string;
  /** Kills the process if still running and removes its data folder. */
  close(): void;
}

export function startUtilityService(options: {
  bundle: string;
  shim: string;
  root: string;
  env: NodeJS.ProcessEnv;
}): UtilityService {
  const dataFolder = mkdtempSync(join(tmpdir(), 'neoscope-service-data-'));
  const child = fork(options.bundle, [], {
    execArgv: ['--require', options.shim],
    env: options.env,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const service = createServiceClient(
    {
      post: (message) => void child.send(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.on('exit', (code) => listener(code ?? -1)),
    },
    { root: options.root, dataFolder },
    () => {},
  );
  return {
    service,
    child,
    output: () => output,
    close() {
      child.kill();
      rmSync(dataFolder, { recursive: true, force: true });
    },
  };
}
