# infra: PostgreSQL, Redis, an OpenTelemetry Collector and Jaeger for a
# development cluster (`nomad agent -dev` plus `consul agent -dev`). In
# production point the services at managed PostgreSQL and Redis instead
# (the Nomad variable nomad/jobs/hostplane holds their URLs).
variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

variable "postgres_password" {
  type        = string
  default     = "hostplane-dev"
  description = "development only; never reuse it"
}

job "infra" {
  datacenters = var.datacenters
  type        = "service"

  group "postgres" {
    network {
      port "db" { static = 5432 }
    }

    service {
      name     = "postgres"
      port     = "db"
      provider = "consul"
      tags     = ["hostplane-infra"]

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "postgres" {
      driver = "docker"

      config {
        image        = "postgres:15"
        network_mode = "host"
        volumes      = ["local/init.sql:/docker-entrypoint-initdb.d/init.sql"]
      }

      env {
        POSTGRES_PASSWORD = var.postgres_password
      }

      # deploy/postgres/init.sql: one database per service.
      template {
        destination = "local/init.sql"
        data        = <<-EOT
        CREATE DATABASE hostplane_auth;
        CREATE DATABASE hostplane_billing;
        CREATE DATABASE hostplane_sites;
        CREATE DATABASE hostplane_tenancy;
        CREATE DATABASE hostplane_stats;
        CREATE DATABASE hostplane_hosting;
        EOT
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }
  }

  group "redis" {
    network {
      port "redis" { static = 6379 }
    }

    service {
      name     = "redis"
      port     = "redis"
      provider = "consul"
      tags     = ["hostplane-infra"]

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image        = "redis:7"
        network_mode = "host"
        args         = ["redis-server", "--save", "", "--appendonly", "no"]
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }

  group "tracing" {
    network {
      port "otlp_http" { static = 4318 }
      port "otlp_grpc" { static = 4317 }
      port "jaeger_ui" { static = 16686 }
    }

    service {
      name     = "otel-collector"
      port     = "otlp_http"
      provider = "consul"
      tags     = ["hostplane-infra"]

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "3s"
      }
    }

    service {
      name     = "jaeger"
      port     = "jaeger_ui"
      provider = "consul"
      tags     = ["hostplane-infra"]

      check {
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "3s"
      }
    }

    # The collector receives OTLP on 4317/4318 and exports to Jaeger's OTLP
    # gRPC receiver, moved to 14317 so both share the host network.
    task "otel-collector" {
      driver = "docker"

      config {
        image        = "otel/opentelemetry-collector:0.111.0"
        network_mode = "host"
        args         = ["--config=/local/config.yaml"]
      }

      template {
        destination = "local/config.yaml"
        data        = <<-EOT
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
              http:
                endpoint: 0.0.0.0:4318
        processors:
          batch: {}
        exporters:
          otlp/jaeger:
            endpoint: 127.0.0.1:14317
            tls:
              insecure: true
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlp/jaeger]
        EOT
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }

    task "jaeger" {
      driver = "docker"

      config {
        image        = "jaegertracing/all-in-one:1.62.0"
        network_mode = "host"
        args         = ["--collector.otlp.grpc.host-port=:14317", "--collector.otlp.http.host-port=:14318"]
      }

      env {
        COLLECTOR_OTLP_ENABLED = "true"
      }

      resources {
        cpu    = 200
        memory = 512
      }
    }
  }
}
