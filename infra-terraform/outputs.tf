output "url" {
  description = "The API's public URL."
  value       = "https://${var.domain}"
}

output "api_public_ipv4" {
  description = "The API host's Elastic IP (the A record)."
  value       = aws_eip.api.public_ip
}

output "api_public_ipv6" {
  description = "The API host's IPv6 addresses (the AAAA record)."
  value       = aws_instance.api.ipv6_addresses
}

output "executor_group" {
  description = "Name of the executors' Auto Scaling group."
  value       = aws_autoscaling_group.executor.name
}

output "database_address" {
  description = "PostgreSQL's private address (reachable from the API host only)."
  value       = aws_db_instance.main.address
}

output "redis_address" {
  description = "Redis's private primary address (TLS, auth token; from the API host and the executors only)."
  value       = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "admin_key_parameter" {
  description = "SSM parameter holding the first admin API key: aws ssm get-parameter --with-decryption --name <this>."
  value       = aws_ssm_parameter.admin_key.name
}

output "admin_key" {
  description = "The first admin API key (terraform output -raw admin_key)."
  value       = aws_ssm_parameter.admin_key.value
  sensitive   = true
}
