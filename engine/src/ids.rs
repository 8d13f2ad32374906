//! Identifiers: 64-hex content digests and container IDs, shown shortened to 12 characters, and
//! the generated `adjective_surname` container names.
