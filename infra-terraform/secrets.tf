# Every secret is generated here and kept in SSM Parameter Store as a SecureString. Hosts read
# them at boot through their instance role, which may read exactly the parameters it needs: the
# user-data (readable by anything on the host through the metadata service) names parameters only.
# The values also live in the Terraform state: keep the state in an encrypted, private backend.

locals {
  parameter_prefix = "/${var.name}"
}

# Letters and digits only: they go into URIs (rediss://:<token>@...) and JDBC settings unescaped,
# and ElastiCache refuses some punctuation in auth tokens. 32+ of 62 symbols is over 190 bits.
resource "random_password" "db" {
  length  = 32
  special = false
}

resource "random_password" "redis" {
  length  = 48
  special = false
}

resource "random_password" "admin_key" {
  length  = 40
  special = false
}

# The api's AES-256 key for the webhook secrets it stores: 32 random bytes, in hex.
resource "random_id" "webhook_sealing_key" {
  byte_length = 32
}

resource "aws_ssm_parameter" "db_password" {
  name        = "${local.parameter_prefix}/db/password"
  description = "PostgreSQL password of the crucible user (api only)"
  type        = "SecureString"
  value       = random_password.db.result
}

resource "aws_ssm_parameter" "redis_auth_token" {
  name        = "${local.parameter_prefix}/redis/auth-token"
  description = "ElastiCache auth token (api and executors)"
  type        = "SecureString"
  value       = random_password.redis.result
}

resource "aws_ssm_parameter" "admin_key" {
  name        = "${local.parameter_prefix}/api/admin-key"
  description = "The first admin API key (CRUCIBLE_ADMIN_KEY)"
  type        = "SecureString"
  value       = "cru_${random_password.admin_key.result}"
}

resource "aws_ssm_parameter" "webhook_sealing_key" {
  name        = "${local.parameter_prefix}/api/webhook-sealing-key"
  description = "The key the api seals webhook secrets with in the database (CRUCIBLE_WEBHOOK_SEALING_KEY)"
  type        = "SecureString"
  value       = random_id.webhook_sealing_key.hex
}
