// The resources issue 16 names exist and reference each other as the design says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadModule, nested, resource, templatefileCalls } from './support/configuration.mjs';

const module = await loadModule();
const calls = templatefileCalls(module);

test('providers are pinned and Terraform itself is bounded', () => {
  const [settings] = module.terraform;
  assert.match(settings.required_version, /^>= 1\.\d+\.\d+, < 2\.0\.0$/);
  const providers = Object.assign({}, ...settings.required_providers);
  assert.deepEqual(Object.keys(providers).sort(), ['acme', 'aws', 'random', 'tls']);
  assert.equal(providers.acme.source, 'vancluever/acme');
  assert.equal(providers.aws.source, 'hashicorp/aws');
  for (const [name, provider] of Object.entries(providers)) {
    assert.match(provider.version, /^(~> |= )?\d+\.\d+(\.\d+)?$/, `provider ${name} is not pinned: ${provider.version}`);
  }
});

test('every resource type used has its provider pinned', () => {
  const providers = Object.assign({}, ...module.terraform[0].required_providers);
  for (const kind of ['resource', 'data']) {
    for (const type of Object.keys(module[kind])) {
      assert.ok(type.split('_')[0] in providers, `${kind} ${type} has no pinned provider`);
    }
  }
});

test('the Elastic IP is associated with the API instance and is what the A record points at', () => {
  const association = resource(module, 'aws_eip_association', 'api');
  assert.equal(association.instance_id, '${aws_instance.api.id}');
  assert.equal(association.allocation_id, '${aws_eip.api.id}');
  assert.equal(resource(module, 'aws_eip', 'api').domain, 'vpc');
  const a = resource(module, 'aws_route53_record', 'api_a');
  assert.equal(a.type, 'A');
  assert.deepEqual(a.records, ['${aws_eip.api.public_ip}']);
  assert.equal(a.name, '${var.domain}');
  assert.equal(a.zone_id, '${data.aws_route53_zone.main.zone_id}');
});

test("the AAAA record points at the API instance's own IPv6 address", () => {
  const aaaa = resource(module, 'aws_route53_record', 'api_aaaa');
  assert.equal(aaaa.type, 'AAAA');
  assert.equal(aaaa.records, '${aws_instance.api.ipv6_addresses}');
  assert.equal(aaaa.name, '${var.domain}');
  assert.equal(aaaa.zone_id, '${data.aws_route53_zone.main.zone_id}');
  assert.equal(resource(module, 'aws_instance', 'api').ipv6_address_count, 1);
});

test('the ACME certificate is for the domain, proven by a DNS-01 challenge in the same Route 53 zone', () => {
  const certificate = resource(module, 'acme_certificate', 'api');
  assert.equal(certificate.common_name, '${var.domain}');
  assert.equal(certificate.account_key_pem, '${acme_registration.main.account_key_pem}');
  const challenge = nested(certificate, 'dns_challenge');
  assert.equal(challenge.provider, 'route53');
  assert.equal(challenge.config.AWS_HOSTED_ZONE_ID, '${data.aws_route53_zone.main.zone_id}');
  assert.equal(resource(module, 'aws_route53_zone', 'main', 'data').private_zone, false);
  assert.equal(resource(module, 'acme_registration', 'main').account_key_pem, '${tls_private_key.acme_account.private_key_pem}');
});

test('the certificate and its key go into SecureString parameters', () => {
  const chain = resource(module, 'aws_ssm_parameter', 'tls_certificate');
  assert.equal(chain.type, 'SecureString');
  assert.equal(chain.value, '${acme_certificate.api.certificate_pem}${acme_certificate.api.issuer_pem}');
  const key = resource(module, 'aws_ssm_parameter', 'tls_private_key');
  assert.equal(key.type, 'SecureString');
  assert.equal(key.value, '${acme_certificate.api.private_key_pem}');
});

test('the API instance role may read exactly the parameters the API host needs', () => {
  const statements = nestedStatements('api');
  const reads = statements.filter((s) => s.actions.some((a) => a.startsWith('ssm:')));
  assert.equal(reads.length, 1, 'one statement reads parameters');
  assert.deepEqual(reads[0].actions, ['ssm:GetParameter']);
  assert.deepEqual([...reads[0].resources].sort(), [
    '${aws_ssm_parameter.admin_key.arn}',
    '${aws_ssm_parameter.db_password.arn}',
    '${aws_ssm_parameter.redis_auth_token.arn}',
    '${aws_ssm_parameter.tls_certificate.arn}',
    '${aws_ssm_parameter.tls_private_key.arn}',
    '${aws_ssm_parameter.webhook_sealing_key.arn}',
  ]);
  assertRoleReachesInstance('api', resource(module, 'aws_instance', 'api').iam_instance_profile);
});

test('the API host fetches the certificate, its key and the webhook sealing key by the parameters its role may read', () => {
  const vars = calls['api-user-data.sh.tftpl'].vars;
  assert.equal(vars.tls_certificate_parameter, 'aws_ssm_parameter.tls_certificate.name');
  assert.equal(vars.tls_private_key_parameter, 'aws_ssm_parameter.tls_private_key.name');
  assert.equal(vars.sealing_key_parameter, 'aws_ssm_parameter.webhook_sealing_key.name');
  assert.equal(resource(module, 'aws_ssm_parameter', 'webhook_sealing_key').value, '${random_id.webhook_sealing_key.hex}');
  assert.equal(resource(module, 'random_id', 'webhook_sealing_key').byte_length, 32);
  assert.equal(resource(module, 'aws_instance', 'api').user_data_base64, '${base64gzip(local.api_user_data)}');
});

test('the executor role reads the Redis token only and completes its own group\'s lifecycle actions only', () => {
  const statements = nestedStatements('executor');
  assert.deepEqual(statements.map((s) => s.actions).flat().sort(), ['autoscaling:CompleteLifecycleAction', 'ssm:GetParameter']);
  const read = statements.find((s) => s.actions.includes('ssm:GetParameter'));
  assert.deepEqual(read.resources, ['${aws_ssm_parameter.redis_auth_token.arn}']);
  const complete = statements.find((s) => s.actions.includes('autoscaling:CompleteLifecycleAction'));
  assert.deepEqual(complete.resources, [
    'arn:aws:autoscaling:${var.region}:${data.aws_caller_identity.current.account_id}:autoScalingGroup:*:autoScalingGroupName/${local.executor_group_name}',
  ]);
  assert.equal(resource(module, 'aws_autoscaling_group', 'executor').name, '${local.executor_group_name}');
  assertRoleReachesInstance('executor', nested(resource(module, 'aws_launch_template', 'executor'), 'iam_instance_profile').name);
});

test('no policy grants a wildcard action, or a parameter read on every resource', () => {
  for (const tier of ['api', 'executor']) {
    for (const statement of nestedStatements(tier)) {
      for (const action of statement.actions) assert.doesNotMatch(action, /\*/, `${tier}: ${action}`);
      if (statement.actions.some((a) => a.startsWith('ssm:'))) assert.ok(!statement.resources.includes('*'), `${tier} reads every parameter`);
    }
  }
});

test('the executor hosts get no database credentials, admin key or TLS key', () => {
  const vars = calls['executor-user-data.sh.tftpl'].vars;
  const given = Object.values(vars).join(' ');
  assert.doesNotMatch(given, /db_password|admin_key|tls_|aws_db_instance/);
});

test('the executor group runs the launch template between the executor_count bounds, in the private subnets', () => {
  const group = resource(module, 'aws_autoscaling_group', 'executor');
  assert.equal(group.min_size, '${var.executor_count.min}');
  assert.equal(group.max_size, '${var.executor_count.max}');
  assert.equal(group.vpc_zone_identifier, '${aws_subnet.private[*].id}');
  assert.equal(nested(group, 'launch_template').id, '${aws_launch_template.executor.id}');
  assert.equal(resource(module, 'aws_launch_template', 'executor').user_data, '${base64gzip(local.executor_user_data)}');
});

test('scale-in waits on a lifecycle hook longer than the executor\'s drain deadline, which the hook and the host share', () => {
  const group = resource(module, 'aws_autoscaling_group', 'executor');
  const hook = nested(group, 'initial_lifecycle_hook');
  assert.equal(hook.lifecycle_transition, 'autoscaling:EC2_INSTANCE_TERMINATING');
  assert.equal(hook.default_result, 'CONTINUE');
  assert.match(hook.heartbeat_timeout, /^\$\{var\.executor_drain_seconds \+ \d+\}$/);
  const vars = calls['executor-user-data.sh.tftpl'].vars;
  assert.equal(vars.drain_seconds, 'var.executor_drain_seconds');
  // The executor's deadline is the variable; the unit and the hook allow more, the hook the most.
  assert.equal(vars.drain_ms, 'var.executor_drain_seconds * 1000');
  const unitExtra = Number(/^var\.executor_drain_seconds \+ (\d+)$/.exec(vars.stop_timeout_seconds)[1]);
  const hookExtra = Number(/^\$\{var\.executor_drain_seconds \+ (\d+)\}$/.exec(hook.heartbeat_timeout)[1]);
  assert.ok(unitExtra >= 30 + 15 && hookExtra > unitExtra, `unit +${unitExtra} s, hook +${hookExtra} s`);
  assert.equal(vars.lifecycle_hook_name, 'local.drain_hook_name');
  assert.equal(hook.name, '${local.drain_hook_name}');
  assert.equal(vars.group_name, 'local.executor_group_name');
});

test('the group scales by target tracking on the queue depth the API host publishes, per executor in service', () => {
  const policy = resource(module, 'aws_autoscaling_policy', 'executor_queue_depth');
  assert.equal(policy.policy_type, 'TargetTrackingScaling');
  assert.equal(policy.autoscaling_group_name, '${aws_autoscaling_group.executor.name}');
  const tracking = nested(policy, 'target_tracking_configuration');
  assert.equal(tracking.target_value, '${var.queue_jobs_per_executor}');
  const metrics = Object.fromEntries(nested(tracking, 'customized_metric_specification').metrics.map((m) => [m.id, m]));
  assert.equal(metrics.backlog_per_executor.expression, 'jobs / executors');
  assert.equal(metrics.backlog_per_executor.return_data, true);
  const jobs = nested(nested(metrics.jobs, 'metric_stat'), 'metric');
  assert.equal(jobs.namespace, '${local.metric_namespace}');
  assert.equal(jobs.metric_name, '${local.metric_name}');
  const executors = nested(nested(metrics.executors, 'metric_stat'), 'metric');
  assert.equal(executors.metric_name, 'GroupInServiceInstances');
  assert.deepEqual(resource(module, 'aws_autoscaling_group', 'executor').enabled_metrics, ['GroupInServiceInstances']);
  // The publisher on the API host puts exactly that metric.
  const vars = calls['api-user-data.sh.tftpl'].vars;
  assert.equal(vars.metric_namespace, 'local.metric_namespace');
  assert.equal(vars.metric_name, 'local.metric_name');
  const permission = nestedStatements('api').find((s) => s.actions.includes('cloudwatch:PutMetricData'));
  assert.deepEqual(nested(permission, 'condition').values, ['${local.metric_namespace}']);
});

test('PostgreSQL and Redis are generated-secret, encrypted, backed up and private', () => {
  const db = resource(module, 'aws_db_instance', 'main');
  assert.equal(db.password, '${random_password.db.result}');
  assert.equal(db.storage_encrypted, true);
  assert.equal(db.publicly_accessible, false);
  assert.equal(db.backup_retention_period, '${var.db_backup_retention_days}');
  assert.match(nested(module.variable.db_backup_retention_days, 'validation').condition, />= 1/);
  assert.equal(db.skip_final_snapshot, false);
  assert.deepEqual(db.vpc_security_group_ids, ['${aws_security_group.db.id}']);
  assert.equal(resource(module, 'aws_db_subnet_group', 'main').subnet_ids, '${aws_subnet.private[*].id}');

  const redis = resource(module, 'aws_elasticache_replication_group', 'main');
  assert.equal(redis.auth_token, '${random_password.redis.result}');
  assert.equal(redis.transit_encryption_enabled, true);
  assert.equal(redis.at_rest_encryption_enabled, true);
  assert.deepEqual(redis.security_group_ids, ['${aws_security_group.redis.id}']);
  assert.equal(resource(module, 'aws_elasticache_subnet_group', 'main').subnet_ids, '${aws_subnet.private[*].id}');
});

test('the private subnets route out only through the NAT; the API host is in a public one', () => {
  const routes = nested(resource(module, 'aws_route_table', 'private'), 'route');
  assert.equal(routes.nat_gateway_id, '${aws_nat_gateway.main.id}');
  assert.equal(resource(module, 'aws_route_table', 'private').route.length, 1);
  assert.equal(resource(module, 'aws_route_table_association', 'private').route_table_id, '${aws_route_table.private.id}');
  assert.equal(resource(module, 'aws_subnet', 'private').map_public_ip_on_launch, undefined);
  assert.equal(resource(module, 'aws_instance', 'api').subnet_id, '${aws_subnet.public[0].id}');
});

function nestedStatements(tier) {
  const role = resource(module, 'aws_iam_role_policy', tier);
  assert.equal(role.role, `\${aws_iam_role.${tier}.id}`);
  assert.equal(role.policy, `\${data.aws_iam_policy_document.${tier}.json}`);
  return resource(module, 'aws_iam_policy_document', tier, 'data').statement;
}

function assertRoleReachesInstance(tier, profileReference) {
  assert.equal(profileReference, `\${aws_iam_instance_profile.${tier}.name}`);
  assert.equal(resource(module, 'aws_iam_instance_profile', tier).role, `\${aws_iam_role.${tier}.name}`);
  assert.equal(resource(module, 'aws_iam_role', tier).assume_role_policy, '${data.aws_iam_policy_document.ec2_assume.json}');
}
