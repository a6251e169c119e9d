-- One database per service (DESIGN.md "Shape"); the services migrate their
-- own (the one-shot `hostplane migrate`). hostplane_hosting is the shared
-- hosting database of the sites' tables that tenancy moves into tenants.
CREATE DATABASE hostplane_auth;
CREATE DATABASE hostplane_billing;
CREATE DATABASE hostplane_sites;
CREATE DATABASE hostplane_tenancy;
CREATE DATABASE hostplane_stats;
CREATE DATABASE hostplane_hosting;
