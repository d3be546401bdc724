-- PostgreSQL's V9: which server secret this database's code hashes, API key hashes and sealed
-- codes were made under, as a fingerprint derived from it (never the secret).
CREATE TABLE server_secret (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT    NOT NULL
);
