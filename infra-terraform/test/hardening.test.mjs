// Security groups, IMDSv2, encryption, secrets and sensitive outputs, as issue 16 §2 states them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { blocks, loadModule, moduleDir, nested, relativeName, strings, templateFiles, terraformFiles } from './support/configuration.mjs';

const module = await loadModule();
const rules = (type) => Object.entries(module.resource[type] ?? {});
const ingress = rules('aws_vpc_security_group_ingress_rule');
const egress = rules('aws_vpc_security_group_egress_rule');
const WORLD = ['0.0.0.0/0', '::/0'];
const covers = (rule, port) => rule.ip_protocol === '-1' || (rule.from_port <= port && port <= rule.to_port);

test('every security group rule is its own resource: no inline or legacy rules to overlook', () => {
  for (const [name, group] of Object.entries(module.resource.aws_security_group)) {
    assert.equal(group.ingress, undefined, `aws_security_group.${name} has inline ingress`);
    assert.equal(group.egress, undefined, `aws_security_group.${name} has inline egress`);
  }
  assert.equal(module.resource.aws_security_group_rule, undefined);
  assert.ok(ingress.length > 0 && egress.length > 0);
});

test('only ports 80 and 443 are open to the whole Internet', () => {
  const open = ingress.filter(([, rule]) => WORLD.includes(rule.cidr_ipv4) || WORLD.includes(rule.cidr_ipv6));
  assert.ok(open.length >= 2);
  for (const [name, rule] of open) {
    assert.equal(rule.ip_protocol, 'tcp', name);
    assert.ok([80, 443].includes(rule.from_port) && rule.from_port === rule.to_port, `${name} opens ${rule.from_port}-${rule.to_port} to the world`);
    assert.equal(rule.security_group_id, '${aws_security_group.api.id}', `${name} opens another tier to the world`);
  }
});

test('SSH is reachable only from var.admin_cidr, which may not be the whole Internet', () => {
  const ssh = ingress.filter(([, rule]) => covers(rule, 22));
  assert.deepEqual(ssh.map(([, rule]) => [rule.cidr_ipv4, rule.cidr_ipv6, rule.referenced_security_group_id]),
    [['${var.admin_cidr}', undefined, undefined]]);
  assert.match(nested(module.variable.admin_cidr, 'validation').condition, /!endswith\(var\.admin_cidr, "\/0"\)/);
});

test('PostgreSQL accepts the API host only', () => {
  const db = ingress.filter(([, rule]) => rule.security_group_id === '${aws_security_group.db.id}');
  assert.deepEqual(db.map(([, rule]) => [rule.from_port, rule.to_port, rule.referenced_security_group_id]),
    [[5432, 5432, '${aws_security_group.api.id}']]);
  assert.deepEqual(ingress.filter(([, rule]) => covers(rule, 5432)).map(([name]) => name), ['db_from_api']);
});

test('Redis accepts the API host and the executors only', () => {
  const redis = ingress.filter(([, rule]) => rule.security_group_id === '${aws_security_group.redis.id}');
  assert.deepEqual(redis.map(([, rule]) => rule.referenced_security_group_id).sort(),
    ['${aws_security_group.api.id}', '${aws_security_group.executor.id}']);
  assert.ok(redis.every(([, rule]) => rule.from_port === 6379 && rule.to_port === 6379));
  assert.ok(ingress.filter(([, rule]) => covers(rule, 6379)).every(([, rule]) => rule.security_group_id === '${aws_security_group.redis.id}'));
});

test('nothing reaches an executor host, so neither does its Docker socket proxy', () => {
  assert.deepEqual(ingress.filter(([, rule]) => rule.security_group_id === '${aws_security_group.executor.id}'), []);
  assert.deepEqual(ingress.filter(([, rule]) => covers(rule, 2375)).map(([name]) => name), []);
});

test('the state tier opens no connection out', () => {
  for (const group of ['db', 'redis']) {
    assert.deepEqual(egress.filter(([, rule]) => rule.security_group_id === `\${aws_security_group.${group}.id}`), [], group);
  }
});

test('every instance and launch template requires IMDSv2 tokens', () => {
  const hosts = [...blocks(module)].filter(([type]) => type === 'aws_instance' || type === 'aws_launch_template');
  assert.equal(hosts.length, 2);
  for (const [type, name, block] of hosts) {
    const metadata = nested(block, 'metadata_options');
    assert.equal(metadata.http_tokens, 'required', `${type}.${name}`);
    assert.equal(metadata.http_put_response_hop_limit, 1, `${type}.${name}: a container on the host must not reach the metadata service`);
  }
});

test('every root volume is encrypted', () => {
  for (const [name, instance] of Object.entries(module.resource.aws_instance)) {
    assert.equal(nested(instance, 'root_block_device').encrypted, true, `aws_instance.${name}`);
  }
  for (const [name, template] of Object.entries(module.resource.aws_launch_template)) {
    const devices = template.block_device_mappings;
    assert.ok(devices?.length, `aws_launch_template.${name} leaves its root volume to the image`);
    for (const device of devices) assert.equal(nested(device, 'ebs').encrypted, true, `aws_launch_template.${name} ${device.device_name}`);
  }
});

test('every secret Terraform stores comes from random_password, random_id or the ACME certificate', () => {
  for (const [name, parameter] of Object.entries(module.resource.aws_ssm_parameter)) {
    assert.equal(parameter.type, 'SecureString', `aws_ssm_parameter.${name}`);
    assert.match(parameter.value, /^(cru_)?\$\{(random_password\.\w+\.result|random_id\.\w+\.hex|acme_certificate\.api\.\w+_pem)\}/, `aws_ssm_parameter.${name}`);
  }
});

// Attribute names that carry a secret; their value must be an expression, never a literal.
const SECRET_NAME = /(password|secret|token|private_key|access_key|admin_key)$/i;
const LITERAL_SECRETS = [
  [/AKIA[0-9A-Z]{16}/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]+-----/, 'a PEM block'],
  [/\b(password|passwd|secret|auth_token)\s*=\s*"(?!\$\{)[^"]+"/i, 'a literal password'],
];

function literalSecrets(text) {
  return LITERAL_SECRETS.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
}

test('no file holds a literal secret: an access key, a password or a PEM block', () => {
  const files = [...terraformFiles(), ...templateFiles()];
  for (const path of files) {
    assert.deepEqual(literalSecrets(readFileSync(path, 'utf8')), [], relativeName(path));
  }
});

test('no secret-named attribute is given a literal value', () => {
  for (const kind of ['resource', 'data']) {
    for (const [type, name, block] of blocks(module, kind)) {
      for (const [path, value] of strings(block)) {
        const key = path.filter((p) => typeof p === 'string').at(-1);
        if (SECRET_NAME.test(key)) assert.match(value, /^\$\{/, `${type}.${name}.${path.join('.')} is a literal`);
      }
    }
  }
});

test('the secret scan flags each kind of literal secret', () => {
  assert.deepEqual(literalSecrets('access_key = "AKIAABCDEFGHIJKLMNOP"'), ['an AWS access key id']);
  assert.deepEqual(literalSecrets('-----BEGIN EC PRIVATE KEY-----'), ['a PEM block']);
  assert.deepEqual(literalSecrets('  password = "hunter22"'), ['a literal password']);
  assert.deepEqual(literalSecrets('  password = "${random_password.db.result}"'), []);
});

test('every output that carries a secret is sensitive', () => {
  const secret = /random_password\.|aws_ssm_parameter\.\w+\.value|private_key_pem|acme_certificate\.|auth_token/;
  const carrying = Object.entries(module.output).filter(([, output]) => secret.test(JSON.stringify(output.value)));
  assert.ok(carrying.length >= 1, 'the admin key output is among them');
  for (const [name, output] of carrying) assert.equal(output.sensitive, true, `output ${name}`);
});

test('the Terraform state and local settings stay out of git', () => {
  const ignored = readFileSync(`${moduleDir}/.gitignore`, 'utf8').split('\n');
  for (const pattern of ['.terraform/', '*.tfstate', '*.tfstate.*', 'terraform.tfvars']) assert.ok(ignored.includes(pattern), pattern);
});
