# The executor tier: a launch template and an Auto Scaling group between var.executor_count.min
# and .max, in the private subnets, scaled by target tracking on the queue depth per executor.

locals {
  executor_group_name = "${var.name}-executor"
  drain_hook_name     = "drain"

  executor_user_data = templatefile("${path.module}/templates/executor-user-data.sh.tftpl", {
    install_crucible           = local.install_crucible
    region                     = var.region
    redis_address              = aws_elasticache_replication_group.main.primary_endpoint_address
    redis_port                 = aws_elasticache_replication_group.main.port
    redis_auth_token_parameter = aws_ssm_parameter.redis_auth_token.name
    executor_slots             = var.executor_slots
    drain_seconds              = var.executor_drain_seconds
    drain_ms                   = var.executor_drain_seconds * 1000
    stop_timeout_seconds       = var.executor_drain_seconds + 45
    group_name                 = local.executor_group_name
    lifecycle_hook_name        = local.drain_hook_name
  })
}

resource "aws_launch_template" "executor" {
  name_prefix            = "${var.name}-executor-"
  image_id               = data.aws_ami.debian.id
  instance_type          = var.executor_instance_type
  vpc_security_group_ids = [aws_security_group.executor.id]
  user_data              = base64gzip(local.executor_user_data)

  iam_instance_profile {
    name = aws_iam_instance_profile.executor.name
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    # The drain watcher reads autoscaling/target-lifecycle-state; no instance tags are exposed.
    instance_metadata_tags = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = var.executor_root_volume_gb
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = local.executor_group_name }
  }
}

resource "aws_autoscaling_group" "executor" {
  name                = local.executor_group_name
  min_size            = var.executor_count.min
  max_size            = var.executor_count.max
  vpc_zone_identifier = aws_subnet.private[*].id
  health_check_type   = "EC2"
  # The first boot builds the project and the runtime images before the executor takes jobs.
  default_instance_warmup = 900
  # GroupInServiceInstances is the divisor of the scaling metric.
  metrics_granularity = "1Minute"
  enabled_metrics     = ["GroupInServiceInstances"]

  launch_template {
    id      = aws_launch_template.executor.id
    version = aws_launch_template.executor.latest_version
  }

  # A host leaving the group is held in Terminating:Wait until its executor drained (the watcher
  # completes the action), or until the timeout: the drain deadline, the hand-back of what still
  # ran then and the unit's stop (45 s in all), and time to report.
  initial_lifecycle_hook {
    name                 = local.drain_hook_name
    lifecycle_transition = "autoscaling:EC2_INSTANCE_TERMINATING"
    heartbeat_timeout    = var.executor_drain_seconds + 90
    default_result       = "CONTINUE"
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  lifecycle {
    # Target tracking moves the desired capacity; an apply must not reset it.
    ignore_changes = [desired_capacity]
  }
}

# Target tracking on the backlog per executor: QueueJobs (published by the API host every
# minute) divided by the executors in service.
resource "aws_autoscaling_policy" "executor_queue_depth" {
  name                   = "${var.name}-queue-depth"
  autoscaling_group_name = aws_autoscaling_group.executor.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.queue_jobs_per_executor

    customized_metric_specification {
      metrics {
        id          = "backlog_per_executor"
        label       = "Queued and running jobs per executor"
        expression  = "jobs / executors"
        return_data = true
      }

      metrics {
        id          = "jobs"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = local.metric_namespace
            metric_name = local.metric_name
            dimensions {
              name  = "Stack"
              value = var.name
            }
          }
        }
      }

      metrics {
        id          = "executors"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "AWS/AutoScaling"
            metric_name = "GroupInServiceInstances"
            dimensions {
              name  = "AutoScalingGroupName"
              value = aws_autoscaling_group.executor.name
            }
          }
        }
      }
    }
  }
}
