// The unmodified npm piston-client@1.0.2 against a running Crucible: the scenarios of issue 14.
//
//   CRUCIBLE_TEST_WEB_URL    the public entry, e.g. https://127.0.0.1:8443 (nginx)
//   CRUCIBLE_TEST_ADMIN_KEY  a key that may submit
//   NODE_EXTRA_CA_CERTS      the CA of the entry's certificate (CRUCIBLE_TEST_TLS_CERT)
//
// The client sends no credentials of its own, and Crucible's anonymous key for /api/v2/ is off by
// default, so the client is pointed at a forwarder on loopback that adds the key and passes
// everything else through as sent (the client's text/plain Content-Type included). It stands for
// the gateway a deployment without an anonymous key would put in front. The client swallows
// errors into {success: false}, so every test asserts on what the program printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import piston from 'piston-client';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (see the top of ${import.meta.url})`);
  }
  return value;
}

const target = new URL(required('CRUCIBLE_TEST_WEB_URL'));
const key = required('CRUCIBLE_TEST_ADMIN_KEY');
let forwarder;
let client;

before(async () => {
  forwarder = http.createServer((request, response) => {
    const headers = { ...request.headers, host: target.host, authorization: `Bearer ${key}` };
    const upstream = https.request(new URL(request.url, target), { method: request.method, headers, timeout: 60_000 }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('no answer from Crucible within 60 s')));
    upstream.on('error', (error) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `forwarder: ${error.message}` }));
    });
    request.pipe(upstream);
  });
  await new Promise((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
  client = piston({ server: `http://127.0.0.1:${forwarder.address().port}` });
});

after(() => new Promise((resolve) => forwarder.close(resolve)));

test('runtimes lists Piston names with versions and aliases', async () => {
  const runtimes = await client.runtimes();
  assert.ok(Array.isArray(runtimes), JSON.stringify(runtimes));
  for (const language of ['python', 'javascript', 'c++', 'c', 'java', 'go', 'rust', 'bash']) {
    const runtime = runtimes.find((r) => r.language === language);
    assert.ok(runtime, `${language} is listed: ${JSON.stringify(runtimes)}`);
    assert.equal(typeof runtime.version, 'string');
    assert.ok(Array.isArray(runtime.aliases));
  }
});

test('python gets stdin and the client\'s default args', async () => {
  const result = await client.execute('python', 'import sys\nprint(sys.argv[1:], input())', { stdin: 'hi\n' });
  assert.equal(result.run?.stdout, "['1', '2', '3'] hi\n", JSON.stringify(result));
  assert.equal(result.run.code, 0);
  assert.equal(result.run.signal, null);
});

test('javascript runs on node', async () => {
  const result = await client.execute('javascript', 'console.log(6 * 7)');
  assert.equal(result.run?.stdout, '42\n', JSON.stringify(result));
});

test('c++ compiles and runs', async () => {
  const result = await client.execute('c++', '#include <iostream>\nint main() { std::cout << "compiled" << std::endl; }');
  assert.equal(result.compile?.code, 0, JSON.stringify(result));
  assert.equal(result.run.stdout, 'compiled\n');
  assert.equal(result.run.code, 0);
});

test('a compile error is reported as compile and as run', async () => {
  const result = await client.execute('c++', 'int main( {');
  assert.ok(result.compile, JSON.stringify(result));
  assert.notEqual(result.compile.code, 0);
  assert.deepEqual(result.run, result.compile);
});

test('a program past its run_timeout is killed', async () => {
  const result = await client.execute('python', 'while True:\n    pass', { runTimeout: 1000 });
  assert.equal(result.run?.signal, 'SIGKILL', JSON.stringify(result));
  assert.equal(result.run.status, 'TO');
  assert.equal(result.run.code, null);
});
