# One group per tier. Every rule is its own resource (none inline), so each one can be read and
# checked on its own (test/policy.test.mjs). Only 80 and 443 of the API host face the Internet;
# SSH only from var.admin_cidr. PostgreSQL and Redis accept only their clients' groups, and the
# executors' Docker socket proxy (127.0.0.1:2375 on each host) has no rule at all.

resource "aws_security_group" "api" {
  name        = "${var.name}-api"
  description = "API host: HTTPS and HTTP from anywhere, SSH from the admin range"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "executor" {
  name        = "${var.name}-executor"
  description = "Executor hosts: nothing inbound; out to Redis and to package mirrors"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "PostgreSQL: from the API host only"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "Redis: from the API host and the executors only"
  vpc_id      = aws_vpc.main.id
}

# --- the API host ------------------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "api_https_ipv4" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "api_https_ipv6" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_ingress_rule" "api_http_ipv4" {
  security_group_id = aws_security_group.api.id
  description       = "HTTP, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "api_http_ipv6" {
  security_group_id = aws_security_group.api.id
  description       = "HTTP, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_ingress_rule" "api_ssh_admin" {
  security_group_id = aws_security_group.api.id
  description       = "SSH from the admin range only"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.admin_cidr
}

# Out: package mirrors, git, the AWS APIs (SSM, CloudWatch) over HTTP(S); the database; Redis.
resource "aws_vpc_security_group_egress_rule" "api_https_out" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS: AWS APIs, git, Adoptium"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "api_http_out" {
  security_group_id = aws_security_group.api.id
  description       = "HTTP: Debian mirrors (packages are signed)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

# The API host has an IPv6 address and a route for it, so clients (apt, curl, the AWS CLI) try
# IPv6 first: refused here, each would wait for a timeout before falling back to IPv4.
resource "aws_vpc_security_group_egress_rule" "api_https_out_ipv6" {
  security_group_id = aws_security_group.api.id
  description       = "HTTPS over IPv6"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_egress_rule" "api_http_out_ipv6" {
  security_group_id = aws_security_group.api.id
  description       = "HTTP over IPv6: Debian mirrors"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv6         = "::/0"
}

resource "aws_vpc_security_group_egress_rule" "api_to_db" {
  security_group_id            = aws_security_group.api.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

resource "aws_vpc_security_group_egress_rule" "api_to_redis" {
  security_group_id            = aws_security_group.api.id
  description                  = "Redis"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.redis.id
}

# --- the executors: no ingress rule at all ------------------------------------------------------

resource "aws_vpc_security_group_egress_rule" "executor_https_out" {
  security_group_id = aws_security_group.executor.id
  description       = "HTTPS: AWS APIs, git, Adoptium"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "executor_http_out" {
  security_group_id = aws_security_group.executor.id
  description       = "HTTP: Debian mirrors for the host and for the runtime images (packages are signed)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "executor_to_redis" {
  security_group_id            = aws_security_group.executor.id
  description                  = "Redis"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.redis.id
}

# --- state: only their clients' groups, nothing out -----------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "db_from_api" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the API host (executors hold no database credentials)"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.api.id
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_api" {
  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from the API host"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.api.id
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_executor" {
  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from the executors"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = aws_security_group.executor.id
}
