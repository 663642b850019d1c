-- The database role Kamailio needs, and nothing more (psql -v role=NAME -f role.sql,
-- connected to pbxapi's database as its owner; the role must exist, e.g.
-- CREATE ROLE kamailio LOGIN PASSWORD '...').
--   auth_db reads a phone's SIP username and password: those two columns only.
--   usrloc keeps registrations in `location` and checks its schema in `version`.
-- Kamailio sees no other table: not the phones' other columns, employees, tokens.
GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT (sip_username, sip_password) ON sip_phones TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON location TO :"role";
GRANT USAGE, SELECT ON SEQUENCE location_id_seq TO :"role";
GRANT SELECT ON version TO :"role";
