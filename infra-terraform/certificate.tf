# A real certificate for var.domain from ACME (Let's Encrypt), proven by a DNS-01 challenge in
# the Route 53 zone: nothing has to listen on port 80 while it is issued, and the API host never
# holds AWS rights on DNS. Terraform renews it on an apply within 30 days of its expiry; the API
# host fetches it again every day (crucible-tls.timer) and reloads nginx when it changed.

data "aws_route53_zone" "main" {
  name         = var.route53_zone_name
  private_zone = false
}

resource "tls_private_key" "acme_account" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "acme_registration" "main" {
  account_key_pem = tls_private_key.acme_account.private_key_pem
  email_address   = var.acme_email
}

resource "acme_certificate" "api" {
  account_key_pem    = acme_registration.main.account_key_pem
  common_name        = var.domain
  key_type           = "P256"
  min_days_remaining = 30

  # lego's route53 provider takes its AWS credentials from the same environment as Terraform's.
  dns_challenge {
    provider = "route53"
    config = {
      AWS_HOSTED_ZONE_ID = data.aws_route53_zone.main.zone_id
      AWS_REGION         = var.region
    }
  }
}

# The full chain, as nginx's ssl_certificate wants it. A chain passes the 4 KB of a standard
# parameter with some issuers: advanced tier (8 KB).
resource "aws_ssm_parameter" "tls_certificate" {
  name        = "${local.parameter_prefix}/tls/certificate"
  description = "Certificate chain of ${var.domain} (PEM), for nginx on the API host"
  type        = "SecureString"
  tier        = "Advanced"
  value       = "${acme_certificate.api.certificate_pem}${acme_certificate.api.issuer_pem}"
}

resource "aws_ssm_parameter" "tls_private_key" {
  name        = "${local.parameter_prefix}/tls/private-key"
  description = "Private key of ${var.domain}'s certificate (PEM), for nginx on the API host"
  type        = "SecureString"
  value       = acme_certificate.api.private_key_pem
}
