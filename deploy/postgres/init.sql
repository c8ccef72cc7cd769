-- Run once by the postgres image on an empty volume (/docker-entrypoint-initdb.d), as POSTGRES_USER.
-- One database per service and one for the gateway's keys: services never read each other's tables.
CREATE DATABASE erdm_resources;
CREATE DATABASE erdm_plans;
CREATE DATABASE erdm_drills;
CREATE DATABASE erdm_supervision;
CREATE DATABASE erdm_gateway;
