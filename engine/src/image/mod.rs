//! Images: an ordered list of read-only layers (tar archives named by their sha256 digest) and a
//! config (Cmd, Env, WorkingDir...). The bundled catalog stands in for Docker Hub.
