terraform {
  # 1.6 for the validation of variables against one another and for the `terraform test` syntax
  # the README mentions; below 2.0 because a major release may change the language.
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    acme = {
      source  = "vancluever/acme"
      version = "~> 2.26"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project = "crucible"
      Stack   = var.name
    }
  }
}

provider "acme" {
  server_url = var.acme_server_url
}
