-- One database per service (DESIGN.md "Shape"); the services migrate their own.
CREATE DATABASE hostplane_auth;
CREATE DATABASE hostplane_billing;
CREATE DATABASE hostplane_sites;
CREATE DATABASE hostplane_tenancy;
CREATE DATABASE hostplane_stats;
