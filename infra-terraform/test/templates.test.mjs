// The templates, rendered as templatefile() renders them (support/templatefile.mjs) with sample
// values, and checked by the tools that will read them: bash and shellcheck for the user-data and
// every script it installs, nginx -t for nginx's configuration.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadModule, moduleDir, templatefileCalls } from './support/configuration.mjs';
import { render, renderFile, templateVariables } from './support/templatefile.mjs';

const module = await loadModule();
const calls = templatefileCalls(module);
const template = (name) => join(moduleDir, 'templates', name);
const scratch = mkdtempSync(join(tmpdir(), 'crucible-tf-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Values of the shape Terraform gives (addresses, parameter names, numbers as text).
const install = renderFile(template('install-crucible.sh.tftpl'), {
  region: 'us-east-1',
  crucible_repo_url: 'https://github.com/example/crucible.git',
  crucible_ref: 'main',
});
const nginxValues = {
  server_name: 'crucible.example.com',
  api_addr: '127.0.0.1:8080',
  tls_certificate: '/etc/crucible/tls/fullchain.pem',
  tls_private_key: '/etc/crucible/tls/privkey.pem',
  web_root: '/opt/crucible/frontend-ts/dist',
  log_dir: '/var/log/nginx',
  rate_page: '20r/s',
  rate_api: '10r/s',
  rate_submit: '2r/s',
  api_read_timeout: '60s',
};
const nginxConf = renderFile(template('nginx.conf.tftpl'), nginxValues);
const apiUserData = renderFile(template('api-user-data.sh.tftpl'), {
  install_crucible: install,
  nginx_conf: nginxConf,
  name: 'crucible',
  region: 'us-east-1',
  api_addr: '127.0.0.1:8080',
  db_address: 'crucible.abcdefghij.us-east-1.rds.amazonaws.com',
  db_port: '5432',
  db_name: 'crucible',
  db_user: 'crucible',
  db_password_parameter: '/crucible/db/password',
  redis_address: 'master.crucible.abcdef.use1.cache.amazonaws.com',
  redis_port: '6379',
  redis_auth_token_parameter: '/crucible/redis/auth-token',
  admin_key_parameter: '/crucible/api/admin-key',
  sealing_key_parameter: '/crucible/api/webhook-sealing-key',
  tls_certificate_parameter: '/crucible/tls/certificate',
  tls_private_key_parameter: '/crucible/tls/private-key',
  metric_namespace: 'Crucible',
  metric_name: 'QueueJobs',
});
const executorUserData = renderFile(template('executor-user-data.sh.tftpl'), {
  install_crucible: install,
  region: 'us-east-1',
  redis_address: 'master.crucible.abcdef.use1.cache.amazonaws.com',
  redis_port: '6379',
  redis_auth_token_parameter: '/crucible/redis/auth-token',
  executor_slots: '2',
  drain_seconds: '90',
  drain_ms: '90000',
  stop_timeout_seconds: '135',
  group_name: 'crucible-executor',
  lifecycle_hook_name: 'drain',
});
const userData = { 'api-user-data.sh.tftpl': apiUserData, 'executor-user-data.sh.tftpl': executorUserData };

/** The bodies of the quoted heredocs with the given delimiter, keyed by the file each writes. */
function heredocs(script, delimiter) {
  const found = {};
  const pattern = new RegExp(`^cat > (\\S+) <<'${delimiter}'\\n([\\s\\S]*?)^${delimiter}$`, 'gm');
  for (const [, file, body] of script.matchAll(pattern)) found[file] = body;
  return found;
}

function run(command, args, input) {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout: 60_000 });
  if (result.error?.code === 'ENOENT') assert.fail(`${command} is not installed (Debian package ${command}); the suite needs it`);
  assert.equal(result.error, undefined, `${command}: ${result.error}`);
  return result;
}

function shellcheck(name, script) {
  const result = run('shellcheck', ['--shell=bash', '--severity=style', '-'], script);
  assert.equal(result.status, 0, `shellcheck ${name}:\n${result.stdout}${result.stderr}`);
}

test('every templatefile() call passes exactly the variables its template uses', () => {
  assert.deepEqual(Object.keys(calls).sort(),
    ['api-user-data.sh.tftpl', 'executor-user-data.sh.tftpl', 'install-crucible.sh.tftpl', 'nginx.conf.tftpl']);
  for (const [file, { vars }] of Object.entries(calls)) {
    const used = templateVariables(readFileSync(template(file), 'utf8'));
    assert.deepEqual(Object.keys(vars).sort(), [...used].sort(), file);
  }
});

test('the renderer treats escapes and variables as templatefile() does', () => {
  assert.equal(render('a $${b} %%{c} $d ${e}', { e: 'E' }), 'a ${b} %{c} $d E');
  assert.throws(() => render('${missing}', {}), /not given/);
  assert.throws(() => render('${a.b}', {}), /only \$\{name\}/);
});

for (const [name, script] of Object.entries(userData)) {
  test(`${name} rendered is valid bash`, () => {
    const result = run('bash', ['-n'], script);
    assert.equal(result.status, 0, result.stderr);
  });

  test(`${name} rendered passes shellcheck`, () => shellcheck(name, script));

  test(`every script ${name} installs passes shellcheck`, () => {
    const scripts = heredocs(script, 'SCRIPT');
    assert.ok(Object.keys(scripts).length >= 3, `found ${Object.keys(scripts)}`);
    for (const [file, body] of Object.entries(scripts)) {
      assert.match(body, /^#!\/bin\/bash\n/, file);
      shellcheck(`${name}: ${file}`, body);
    }
  });

  test(`${name} fits EC2's 16 KB of user-data, gzipped as Terraform sends it`, () => {
    assert.ok(gzipSync(script).length < 16 * 1024, `${gzipSync(script).length} bytes`);
  });

  test(`${name} holds no secret, only the names of the parameters that hold them`, () => {
    assert.doesNotMatch(script, /-----BEGIN|AKIA[0-9A-Z]{16}|password=[^$]/i);
    assert.match(script, /crucible-parameter '\/crucible\/redis\/auth-token'/);
  });
}

test('the executor host is started as the executor role with its Redis, name and slots', () => {
  const up = heredocs(executorUserData, 'SCRIPT')['/usr/local/sbin/crucible-executor-up'];
  assert.match(up, /^CRUCIBLE_REDIS_URI="rediss:\/\/:\$redis_token@master\.crucible\.abcdef\.use1\.cache\.amazonaws\.com:6379"$/m);
  assert.match(up, /^CRUCIBLE_EXECUTOR_NAME="executor-\$\(crucible-imds meta-data\/instance-id\)"$/m);
  assert.match(up, /^export CRUCIBLE_EXECUTOR_SLOTS='2'$/m);
  assert.match(up, /^exec \/opt\/crucible\/crucible up --role executor$/m);
  assert.doesNotMatch(executorUserData, /CRUCIBLE_DATABASE|CRUCIBLE_ADMIN_KEY/);
});

test('a scaled-in executor host drains within its deadline, then completes the lifecycle action', () => {
  const unit = heredocs(executorUserData, 'UNIT')['/etc/systemd/system/crucible-executor.service'];
  assert.match(unit, /^TimeoutStopSec=135$/m);
  const up = heredocs(executorUserData, 'SCRIPT')['/usr/local/sbin/crucible-executor-up'];
  assert.match(up, /^export CRUCIBLE_DRAIN_MS='90000'$/m);
  assert.match(unit, /^ExecStop=\/opt\/crucible\/crucible down --role executor$/m);
  const watch = heredocs(executorUserData, 'SCRIPT')['/usr/local/sbin/crucible-drain-watch'];
  assert.ok(watch.indexOf('autoscaling/target-lifecycle-state') < watch.indexOf('systemctl stop crucible-executor.service'));
  assert.ok(watch.indexOf('systemctl stop crucible-executor.service') < watch.indexOf('complete-lifecycle-action'));
  assert.match(watch, /--auto-scaling-group-name 'crucible-executor' --lifecycle-hook-name 'drain'/);
});

test('the API host publishes crucible_queue_jobs from the api\'s own /metrics as the scaling metric', () => {
  const publish = heredocs(apiUserData, 'SCRIPT')['/usr/local/sbin/crucible-queue-metric'];
  assert.match(publish, /curl -fsS --max-time 5 http:\/\/127\.0\.0\.1:8080\/metrics/);
  assert.match(publish, /\$1 == "crucible_queue_jobs"/);
  assert.match(publish, /--namespace 'Crucible' \\\n\s+--metric-name 'QueueJobs' --dimensions 'Stack=crucible'/);
  const timer = heredocs(apiUserData, 'UNIT')['/etc/systemd/system/crucible-queue-metric.timer'];
  assert.match(timer, /^OnUnitActiveSec=1min$/m);
});

test('the API host starts the api role on the external PostgreSQL (TLS) and Redis (TLS)', () => {
  const up = heredocs(apiUserData, 'SCRIPT')['/usr/local/sbin/crucible-api-up'];
  assert.match(up, /CRUCIBLE_DATABASE_URL='jdbc:postgresql:\/\/crucible\.abcdefghij\.us-east-1\.rds\.amazonaws\.com:5432\/crucible\?sslmode=require'/);
  assert.match(up, /CRUCIBLE_REDIS_URI="rediss:\/\//);
  assert.match(up, /^CRUCIBLE_WEBHOOK_SEALING_KEY=\$\(crucible-parameter '\/crucible\/api\/webhook-sealing-key'\)$/m);
  assert.match(up, /^export .*\bCRUCIBLE_WEBHOOK_SEALING_KEY\b/m);
  assert.match(up, /^exec \/opt\/crucible\/crucible up --role api$/m);
});

test('the nginx configuration reaches the API host unchanged', () => {
  const written = heredocs(apiUserData, 'NGINX')['/etc/nginx/nginx.conf'];
  assert.equal(written, `${nginxConf}\n`);
});

test('nginx\'s own variables survive the rendering; Terraform\'s are all filled', () => {
  assert.match(nginxConf, /return 301 https:\/\/\$host\$request_uri;/);
  assert.match(nginxConf, /proxy_set_header Host \$host;/);
  assert.match(nginxConf, /map \$request_method \$crucible_submit_key/);
  assert.match(nginxConf, /server_name crucible\.example\.com;/);
  assert.doesNotMatch(nginxConf, /\$\{/);
});

test('the rendered nginx configuration passes nginx -t', () => {
  const dir = join(scratch, 'nginx');
  for (const sub of ['logs', 'www']) mkdirSync(join(dir, sub), { recursive: true });
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-noenc', '-days', '1',
    '-subj', '/CN=crucible.example.com', '-keyout', key, '-out', cert]);
  assert.equal(made.status, 0, made.stderr);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, renderFile(template('nginx.conf.tftpl'), {
    ...nginxValues, tls_certificate: cert, tls_private_key: key, log_dir: join(dir, 'logs'), web_root: join(dir, 'www'),
  }));
  const result = run('nginx', ['-t', '-q', '-e', 'stderr', '-p', `${dir}/`, '-c', conf]);
  assert.equal(result.status, 0, `nginx -t:\n${result.stderr}`);
});

test('nginx listens on 80 and 443 over IPv4 and IPv6, as the A and AAAA records promise', () => {
  for (const listen of ['listen 80 default_server;', 'listen [::]:80 default_server;',
    'listen 443 ssl http2 default_server;', 'listen [::]:443 ssl http2 default_server;']) {
    assert.ok(nginxConf.includes(listen), listen);
  }
});

test('the API host\'s nginx keeps the project template\'s TLS profile, headers, limits and routes', () => {
  // Directives whose lines must agree with nginx/crucible.conf.template (those holding launcher
  // placeholders aside): a change there is made here too.
  const shared = /^\s*(ssl_(?!certificate)\w+|add_header|proxy_hide_header|proxy_set_header|limit_req|limit_conn|location|return|error_page|client_max_body_size|proxy_pass|proxy_buffering|try_files)\b.*$/gm;
  const lines = (text) => [...new Set(text.match(shared).map((line) => line.trim()).filter((line) => !line.includes('@')))].sort();
  const project = readFileSync(join(moduleDir, '..', 'nginx', 'crucible.conf.template'), 'utf8');
  assert.deepEqual(lines(nginxConf).filter((l) => !l.startsWith('return 301') && !l.startsWith('limit_req_zone')),
    lines(project).filter((l) => !l.startsWith('return 301') && !l.startsWith('limit_req_zone')));
});
