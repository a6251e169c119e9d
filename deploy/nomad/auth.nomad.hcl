# auth: Accounts, API keys and permissions.
# `nomad job run deploy/nomad/auth.nomad.hcl`. The service registers in
# Consul as "auth" with the tag "hostplane" (what the gateway and
# Prometheus look up), checked on /readyz. Secrets come from the Nomad
# variable nomad/jobs/hostplane (see deploy/nomad/README.md).
variable "image" {
  type        = string
  default     = "hostplane:local"
  description = "the image built from deploy/Dockerfile"
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

job "auth" {
  datacenters = var.datacenters
  type        = "service"

  update {
    max_parallel      = 1
    min_healthy_time  = "10s"
    healthy_deadline  = "3m"
    progress_deadline = "10m"
    health_check      = "checks"
    auto_revert       = true
    canary            = 0
  }

  group "auth" {
    count = 1

    network {
      port "http" {}
    }

    service {
      name     = "auth"
      port     = "http"
      provider = "consul"
      tags     = ["hostplane"]

      check {
        name     = "auth readiness"
        type     = "http"
        path     = "/readyz"
        interval = "10s"
        timeout  = "3s"
      }

      check {
        name     = "auth liveness"
        type     = "http"
        path     = "/healthz"
        interval = "30s"
        timeout  = "3s"

        check_restart {
          limit = 3
          grace = "30s"
        }
      }
    }

    restart {
      attempts = 3
      interval = "5m"
      delay    = "10s"
      mode     = "delay"
    }

    task "auth" {
      driver       = "docker"
      kill_timeout = "25s"

      config {
        image        = var.image
        args         = ["auth", "--addr=:${NOMAD_PORT_http}"]
        network_mode = "host"
      }

      env {
        CONSUL_HTTP_ADDR               = "${attr.unique.network.ip-address}:8500"
        HOSTPLANE_CONSUL_TAG           = "hostplane"
        HOSTPLANE_CONSUL_SKIP_REGISTER = "true" # the service stanza registers it
        HOSTPLANE_ADVERTISE_HOST       = "${NOMAD_IP_http}"
        HOSTPLANE_DATA_DIR             = "/data"
        HOSTPLANE_SHUTDOWN_GRACE       = "20s"
        OTEL_EXPORTER_OTLP_ENDPOINT    = "http://${attr.unique.network.ip-address}:4318"
      }

      template {
        destination = "secrets/hostplane.env"
        env         = true
        change_mode = "restart"
        data        = <<-EOT
        {{ with nomadVar "nomad/jobs/hostplane" }}
        HOSTPLANE_INTERNAL_SECRET="{{ .internal_secret }}"
        HOSTPLANE_DATABASE_URL="{{ .database_url }}"
        HOSTPLANE_REDIS_URL="{{ .redis_url }}"
        HOSTPLANE_ROOT_API_KEY="{{ .root_api_key }}"
        HOSTPLANE_ROOT_API_SECRET="{{ .root_api_secret }}"
        {{ end }}
        EOT
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
