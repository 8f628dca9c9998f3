-- Run once by the postgres image on an empty data directory: the source and the warehouse databases.
CREATE DATABASE totesys;
CREATE DATABASE warehouse;
