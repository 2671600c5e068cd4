// Starts the parse sandbox's children on behalf of the app. Node's fork() blocks its caller's event loop until the
// child has exec'd, tens to hundreds of milliseconds on a busy machine, so the API's process forks this small
// launcher once and the launcher forks every parse child, relaying messages both ways.
// Plain JavaScript on purpose: it runs as it is, without tsx.
import { fork } from 'node:child_process';

const children = new Map();
const send = (message) => process.send?.(message);

function start({ id, entry, execArgv }) {
  const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  children.set(id, child);
  send({ id, event: 'spawned', pid: child.pid });
  child.on('message', (message) => send({ id, event: 'message', message }));
  child.on('error', (error) => send({ id, event: 'error', message: error.message }));
  child.on('exit', (code, signal) => {
    children.delete(id);
    send({ id, event: 'exit', code, signal });
  });
}

process.on('message', (request) => {
  if (request.op === 'start') start(request);
  else if (request.op === 'send') children.get(request.id)?.send(request.message);
  else if (request.op === 'kill') children.get(request.id)?.kill('SIGKILL');
});

// The app going away ends the launcher and every child it started.
process.on('disconnect', () => {
  for (const child of children.values()) child.kill('SIGKILL');
  process.exit(0);
});
