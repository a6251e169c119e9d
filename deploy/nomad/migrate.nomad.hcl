# migrate: the one-shot `hostplane migrate` (every service's database and
# migrations, under an advisory lock). Run it before each deploy of a new
# image: `nomad job run -var image=… deploy/nomad/migrate.nomad.hcl`.
variable "image" {
  type    = string
  default = "hostplane:local"
}

variable "datacenters" {
  type    = list(string)
  default = ["dc1"]
}

job "migrate" {
  datacenters = var.datacenters
  type        = "batch"

  group "migrate" {
    restart {
      attempts = 3
      delay    = "15s"
      mode     = "fail"
    }

    task "migrate" {
      driver = "docker"

      config {
        image        = var.image
        args         = ["migrate"]
        network_mode = "host"
      }

      template {
        destination = "secrets/hostplane.env"
        env         = true
        data        = <<-EOT
        {{ with nomadVar "nomad/jobs/hostplane" }}
        HOSTPLANE_DATABASE_URL="{{ .database_url }}"
        {{ end }}
        EOT
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
