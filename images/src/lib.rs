//! The bundled image catalog.
