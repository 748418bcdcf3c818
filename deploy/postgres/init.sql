-- One database per service that keeps state (docker-compose runs this on the first start).
CREATE DATABASE scheduler;
CREATE DATABASE evaluator;
CREATE DATABASE datasets;
