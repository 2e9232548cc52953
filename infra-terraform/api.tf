# The API host: one instance in a public subnet with an Elastic IP (IPv4) and an IPv6 address,
# running nginx (the public entry) and ./crucible up --role api.

data "aws_ami" "debian" {
  most_recent = true
  owners      = ["136693071363"] # Debian's own AWS account

  filter {
    name   = "name"
    values = ["debian-12-amd64-*"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

locals {
  api_addr         = "127.0.0.1:8080"
  metric_namespace = "Crucible"
  metric_name      = "QueueJobs"

  install_crucible = templatefile("${path.module}/templates/install-crucible.sh.tftpl", {
    region            = var.region
    crucible_repo_url = var.crucible_repo_url
    crucible_ref      = var.crucible_ref
  })

  nginx_conf = templatefile("${path.module}/templates/nginx.conf.tftpl", {
    server_name      = var.domain
    api_addr         = local.api_addr
    tls_certificate  = "/etc/crucible/tls/fullchain.pem"
    tls_private_key  = "/etc/crucible/tls/privkey.pem"
    web_root         = "/opt/crucible/frontend-ts/dist"
    log_dir          = "/var/log/nginx"
    rate_page        = "20r/s"
    rate_api         = "10r/s"
    rate_submit      = "2r/s"
    api_read_timeout = "60s" # the api's default CRUCIBLE_MAX_WAIT_MS (30 s) plus 30 s
  })

  api_user_data = templatefile("${path.module}/templates/api-user-data.sh.tftpl", {
    install_crucible           = local.install_crucible
    nginx_conf                 = local.nginx_conf
    name                       = var.name
    region                     = var.region
    api_addr                   = local.api_addr
    db_address                 = aws_db_instance.main.address
    db_port                    = aws_db_instance.main.port
    db_name                    = aws_db_instance.main.db_name
    db_user                    = aws_db_instance.main.username
    db_password_parameter      = aws_ssm_parameter.db_password.name
    redis_address              = aws_elasticache_replication_group.main.primary_endpoint_address
    redis_port                 = aws_elasticache_replication_group.main.port
    redis_auth_token_parameter = aws_ssm_parameter.redis_auth_token.name
    admin_key_parameter        = aws_ssm_parameter.admin_key.name
    sealing_key_parameter      = aws_ssm_parameter.webhook_sealing_key.name
    tls_certificate_parameter  = aws_ssm_parameter.tls_certificate.name
    tls_private_key_parameter  = aws_ssm_parameter.tls_private_key.name
    metric_namespace           = local.metric_namespace
    metric_name                = local.metric_name
  })
}

resource "aws_instance" "api" {
  ami                    = data.aws_ami.debian.id
  instance_type          = var.api_instance_type
  subnet_id              = aws_subnet.public[0].id
  vpc_security_group_ids = [aws_security_group.api.id]
  iam_instance_profile   = aws_iam_instance_profile.api.name
  key_name               = var.ssh_key_name
  ipv6_address_count     = 1

  # Gzipped: the rendered script with its nginx configuration nears the 16 KB user-data limit.
  # cloud-init runs it on the first boot only, so a changed script takes a new host (the Elastic
  # IP moves to it).
  user_data_base64            = base64gzip(local.api_user_data)
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.api_root_volume_gb
    encrypted             = true
    delete_on_termination = true
  }

  tags = { Name = "${var.name}-api" }

  lifecycle {
    # A newer Debian image must not replace the API host on a routine apply.
    ignore_changes = [ami]
  }
}

resource "aws_eip" "api" {
  domain = "vpc"

  tags = { Name = "${var.name}-api" }
}

resource "aws_eip_association" "api" {
  instance_id   = aws_instance.api.id
  allocation_id = aws_eip.api.id
}

resource "aws_route53_record" "api_a" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = var.domain
  type    = "A"
  ttl     = 300
  records = [aws_eip.api.public_ip]
}

resource "aws_route53_record" "api_aaaa" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = var.domain
  type    = "AAAA"
  ttl     = 300
  records = aws_instance.api.ipv6_addresses
}
