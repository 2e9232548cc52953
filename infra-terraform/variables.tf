variable "name" {
  type        = string
  description = "Name of this stack: prefixes every resource name and the SSM parameter paths (/<name>/...)."
  default     = "crucible"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name))
    error_message = "name is 2 to 21 characters: lower-case letters, digits and '-', starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "AWS region to deploy into."
  default     = "us-east-1"
}

variable "domain" {
  type        = string
  description = "The public DNS name of the API (e.g. crucible.example.com): the certificate's name and the A/AAAA records."
}

variable "route53_zone_name" {
  type        = string
  description = "The public Route 53 hosted zone that holds var.domain (e.g. example.com); it also answers the ACME DNS-01 challenge."
}

variable "acme_email" {
  type        = string
  description = "Contact address of the ACME (Let's Encrypt) account: expiry notices go there."
}

variable "acme_server_url" {
  type        = string
  description = "ACME directory. Let's Encrypt's production one by default; use https://acme-staging-v02.api.letsencrypt.org/directory while trying things out (its rate limits are far higher)."
  default     = "https://acme-v02.api.letsencrypt.org/directory"
}

variable "admin_cidr" {
  type        = string
  description = "The only source address range SSH (port 22) on the API host accepts, e.g. 203.0.113.7/32. Never 0.0.0.0/0."

  validation {
    condition     = can(cidrhost(var.admin_cidr, 0)) && !endswith(var.admin_cidr, "/0")
    error_message = "admin_cidr must be a CIDR range narrower than the whole Internet (not 0.0.0.0/0 or ::/0)."
  }
}

variable "ssh_key_name" {
  type        = string
  description = "Name of an existing EC2 key pair for SSH to the API host; null leaves the hosts without one (use SSM Session Manager or none)."
  default     = null
}

variable "vpc_cidr" {
  type        = string
  description = "IPv4 range of the VPC; each subnet is a /24 of it (two public, two private, one pair per availability zone)."
  default     = "10.40.0.0/16"
}

variable "crucible_repo_url" {
  type        = string
  description = "Git URL (https) every host clones the project from: your fork or mirror of this repository."
}

variable "crucible_ref" {
  type        = string
  description = "Git branch or tag every host checks out; the api and the executors must run the same one."
  default     = "main"
}

variable "api_instance_type" {
  type        = string
  description = "EC2 type of the API host (api, nginx, the queue-depth publisher; it builds the project with Maven and npm at boot, so 4 GiB at least)."
  default     = "t3.medium"
}

variable "api_root_volume_gb" {
  type        = number
  description = "Size of the API host's encrypted root volume, in GiB."
  default     = 30
}

variable "executor_instance_type" {
  type        = string
  description = "EC2 type of each executor host (dockerd with gVisor, the socket proxy, the executor). Compute-optimized: sandboxes are CPU-bound."
  default     = "c6i.large"
}

variable "executor_root_volume_gb" {
  type        = number
  description = "Size of each executor host's encrypted root volume, in GiB (it holds the runtime images)."
  default     = 40
}

variable "executor_count" {
  type = object({
    min = number
    max = number
  })
  description = "Bounds of the executor Auto Scaling group; target tracking on the queue depth moves it between them."
  default = {
    min = 1
    max = 4
  }

  validation {
    condition     = var.executor_count.min >= 1 && var.executor_count.min <= var.executor_count.max
    error_message = "executor_count needs 1 <= min <= max."
  }
}

variable "executor_slots" {
  type        = number
  description = "Sandboxes each executor runs at once (CRUCIBLE_EXECUTOR_SLOTS, 1..64)."
  default     = 2

  validation {
    condition     = var.executor_slots >= 1 && var.executor_slots <= 64
    error_message = "executor_slots is between 1 and 64."
  }
}

variable "executor_drain_seconds" {
  type        = number
  description = "How long a host being scaled in gives its executor, after SIGTERM, to finish or hand back its jobs before it is killed."
  default     = 90

  validation {
    condition     = var.executor_drain_seconds >= 30 && var.executor_drain_seconds <= 3600
    error_message = "executor_drain_seconds is between 30 and 3600."
  }
}

variable "queue_jobs_per_executor" {
  type        = number
  description = "Target of the scaling policy: jobs in the queue (queued and running) per executor host. About twice executor_slots keeps every slot busy with a short queue behind it."
  default     = 4
}

variable "db_instance_class" {
  type        = string
  description = "RDS instance class of PostgreSQL."
  default     = "db.t4g.micro"
}

variable "db_allocated_storage_gb" {
  type        = number
  description = "Storage of PostgreSQL, in GiB (gp3, encrypted)."
  default     = 20
}

variable "db_backup_retention_days" {
  type        = number
  description = "Days RDS keeps automated backups (point-in-time recovery within them)."
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days is between 1 and 35 (0 would turn backups off)."
  }
}

variable "db_multi_az" {
  type        = bool
  description = "Whether RDS keeps a synchronous standby in a second availability zone (doubles its cost)."
  default     = false
}

variable "deletion_protection" {
  type        = bool
  description = "Whether RDS refuses to be deleted; set false before `terraform destroy`."
  default     = true
}

variable "redis_node_type" {
  type        = string
  description = "ElastiCache node type of the queue's Redis."
  default     = "cache.t4g.micro"
}

variable "redis_replicas" {
  type        = number
  description = "Read replicas beside the Redis primary; 1 or more turns on automatic failover across availability zones."
  default     = 0
}
