-- Which server secret this database's code hashes, API key hashes and sealed codes were made
-- under: a fingerprint derived from it (never the secret), checked at every start.
CREATE TABLE server_secret (
    id          INTEGER     PRIMARY KEY CHECK (id = 1),
    fingerprint VARCHAR(64) NOT NULL
);
