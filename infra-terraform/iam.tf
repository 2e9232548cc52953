# One role per tier, each allowed exactly what its host does: read its own parameters, and (api)
# publish the queue depth or (executor) end its own scale-in lifecycle action. SecureStrings are
# encrypted with the account's aws/ssm key, whose key policy lets SSM decrypt for any principal
# allowed the parameter, so no kms statement is needed.

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# --- the API host ------------------------------------------------------------------------------

resource "aws_iam_role" "api" {
  name               = "${var.name}-api"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

data "aws_iam_policy_document" "api" {
  statement {
    sid     = "ReadItsParameters"
    actions = ["ssm:GetParameter"]
    resources = [
      aws_ssm_parameter.tls_certificate.arn,
      aws_ssm_parameter.tls_private_key.arn,
      aws_ssm_parameter.db_password.arn,
      aws_ssm_parameter.redis_auth_token.arn,
      aws_ssm_parameter.admin_key.arn,
      aws_ssm_parameter.webhook_sealing_key.arn,
    ]
  }

  # PutMetricData has no resource-level permissions; the namespace condition is its narrowing.
  statement {
    sid       = "PublishQueueDepth"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [local.metric_namespace]
    }
  }
}

resource "aws_iam_role_policy" "api" {
  name   = "${var.name}-api"
  role   = aws_iam_role.api.id
  policy = data.aws_iam_policy_document.api.json
}

resource "aws_iam_instance_profile" "api" {
  name = "${var.name}-api"
  role = aws_iam_role.api.name
}

# --- the executors -----------------------------------------------------------------------------

resource "aws_iam_role" "executor" {
  name               = "${var.name}-executor"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

data "aws_iam_policy_document" "executor" {
  statement {
    sid       = "ReadTheRedisToken"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.redis_auth_token.arn]
  }

  # The group's ARN holds an id known only after it exists; its name is fixed (local), which keeps
  # the role free of a cycle through the launch template.
  statement {
    sid       = "EndItsScaleIn"
    actions   = ["autoscaling:CompleteLifecycleAction"]
    resources = ["arn:aws:autoscaling:${var.region}:${data.aws_caller_identity.current.account_id}:autoScalingGroup:*:autoScalingGroupName/${local.executor_group_name}"]
  }
}

resource "aws_iam_role_policy" "executor" {
  name   = "${var.name}-executor"
  role   = aws_iam_role.executor.id
  policy = data.aws_iam_policy_document.executor.json
}

resource "aws_iam_instance_profile" "executor" {
  name = "${var.name}-executor"
  role = aws_iam_role.executor.name
}
